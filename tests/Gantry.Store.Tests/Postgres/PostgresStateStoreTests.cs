using Gantry.Store.Postgres;
using Gantry.Store.Tests.Contract;
using Gantry.Testing.Postgres;

namespace Gantry.Store.Tests.Postgres;

/// <summary>The store contract on the shared backend, plus what only a shared store must do: two stores over one
/// database (two replicas) see each other's commits, keep revisions dense and conflict on the same version.</summary>
public sealed class PostgresStateStoreTests(PostgresServer server) : StateStoreContractTests, IClassFixture<PostgresServer>
{
    private string? _database;

    protected override async Task<IStateStore> OpenAsync() =>
        await PostgresStateStore.OpenAsync(_database ??= await server.CreateDatabaseAsync(), CancellationToken.None);

    protected override Task RemoveDatabaseAsync() => server.DropDatabaseAsync(_database!);

    [Fact]
    public async Task A_replica_learns_another_replicas_commits_and_its_waiters_wake()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var waiting = second.WaitForChangeAsync(second.CurrentRevision, default);

        var revision = await first.CommitAsync([new PutOp("k", "a", "from first")], default);

        await waiting.WaitAsync(Bound);
        Assert.Equal(revision, second.CurrentRevision);
        Assert.Equal("from first", (await second.GetAsync("k", "a", default))!.Body);
    }

    [Fact]
    public async Task A_replica_whose_sessions_were_cut_reconnects_and_catches_up_on_what_it_missed()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var before = second.CurrentRevision;

        await server.TerminateSessionsAsync(_database!);
        var revision = await first.CommitAsync([new PutOp("k", "while-cut", "1")], default);

        await second.WaitForChangeAsync(before, default).WaitAsync(Bound);
        Assert.Equal(revision, second.CurrentRevision);
    }

    [Fact]
    public async Task Replicas_committing_at_once_get_dense_revisions_and_one_wins_each_version()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? first : second).CommitAsync([new PutOp("k", $"key{i}", "v")], default)));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), (await first.ChangesSinceAsync(0, 100, default)).Select(c => c.Revision));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? first : second).CommitAsync([new PutOp("k", "key0", $"writer{i}", ExpectedVersion: 1)], default);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }));
        Assert.Equal(1, outcomes.Count(won => won));
    }
}
