using Gantry.Store.Postgres;
using Gantry.Testing.Postgres;

namespace Gantry.Store.Tests.Postgres;

/// <summary>PostgreSQL stopped under an open store (`pg_ctl stop -m fast`, its own server: the others' tests keep theirs):
/// every call says the store is unavailable, nothing is half-written, and the same store object works again once the
/// server is back, from its very first call.</summary>
public sealed class PostgresStoreOutageTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task While_PostgreSQL_is_stopped_every_call_is_unavailable_and_the_first_call_after_it_is_back_works()
    {
        await using var store = await PostgresStateStore.OpenAsync(await server.CreateDatabaseAsync(), CancellationToken.None);
        var before = await store.CommitAsync([new PutOp("k", "before", "1")], default);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.CountAsync("k", null, default))); // idle pooled connections, broken by the stop

        await server.StopAsync();
        try
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetAsync("k", "before", default));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CommitAsync([new PutOp("k", "during", "1")], default));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ListAsync("k", null, null, 10, default));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.CountAsync("k", null, default));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ChangesSinceAsync(0, 10, default));
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.Equal("1", (await store.GetAsync("k", "before", default))!.Body);
        Assert.Null(await store.GetAsync("k", "during", default));
        Assert.Equal(before + 1, await store.CommitAsync([new PutOp("k", "after", "1")], default));
        Assert.Equal(["before", "after"], (await store.ChangesSinceAsync(0, 10, default)).Select(c => c.Key));
    }
}
