using Gantry.Logs.Postgres;
using Gantry.Logs.Tests.Contract;
using Gantry.Testing.Postgres;
using Npgsql;

namespace Gantry.Logs.Tests.Postgres;

/// <summary>What only a shared log store must do: two stores over one database (two replicas) writing at once.</summary>
[Collection(PostgresLogStores.Name)]
public sealed class PostgresLogReplicaTests(PostgresServer server) : IAsyncLifetime
{
    private string _database = "";
    private PostgresLogStore _first = null!, _second = null!;

    private static CancellationToken Ct => TempLogStore.Timeout;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _first = await PostgresLogStore.OpenAsync(_database, Ct);
        _second = await PostgresLogStore.OpenAsync(_database, Ct);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await server.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task A_shipper_resending_through_both_replicas_at_once_stores_each_line_once()
    {
        var lines = Enumerable.Range(1, 200).Select(i => new NewLogEvent(i, $"line{i}", i * 10L)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? _first : _second).AppendAsync("g", "s", lines[..((i + 1) * 10)], 1, true, Ct)));

        var stored = await _second.GetStreamEventsAsync("g", "s", null, null, true, null, 1000, Ct);
        Assert.Equal(lines.Select(l => l.Message), stored.Events.Select(e => e.Message));
        Assert.Equal(2000, (await _first.GetSourceOffsetAsync("g", "s", Ct)).SourceOffset);
    }

    [Fact]
    public async Task Replicas_purging_at_once_leave_no_event_of_a_deleted_group()
    {
        var count = (3 * LogLimits.DeleteChunk) + 7;
        await _first.AppendAsync("g", "s", Enumerable.Range(0, count).Select(i => new NewLogEvent(i, "x")).ToArray(), 1, true, Ct);
        await _first.AppendAsync("kept", "s", [new(1, "stays")], 1, true, Ct);

        await Task.WhenAll(_first.DeleteGroupAsync("g", Ct), _second.DeleteExpiredAsync(0, Ct), _first.DeleteExpiredAsync(0, Ct));

        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var left = new NpgsqlCommand("SELECT count(*) FROM log_events", connection);
        Assert.Equal(1L, await left.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_tail_following_one_replica_sees_every_event_both_replicas_append_exactly_once()
    {
        await _first.CreateGroupAsync("g", 1, Ct);
        await _first.CreateStreamAsync("g", "s", 1, Ct);
        var token = (await _first.GetStreamEventsAsync("g", "s", null, null, true, null, 100, Ct)).NextForwardToken;
        var writers = Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; batch < 25; batch++)
            {
                // Equal timestamps: only the ids order these events, and a token must never skip one committed late.
                await (w == 0 ? _first : _second).AppendAsync("g", "s",
                    Enumerable.Range(0, 4).Select(i => new NewLogEvent(5, $"w{w}-b{batch}-{i}")).ToArray(), 1, false, Ct);
            }
        })));
        var seen = new List<string>();
        while (seen.Count < 200)
        {
            var finished = writers.IsCompleted;
            var page = await _first.GetStreamEventsAsync("g", "s", null, null, true, token, 7, Ct);
            seen.AddRange(page.Events.Select(e => e.Message));
            token = page.NextForwardToken;
            Assert.False(finished && page.Events.Count == 0 && seen.Count < 200, $"the tail stopped at {seen.Count} of 200 events");
        }
        await writers;
        Assert.Equal(200, seen.Distinct().Count());
        Assert.Equal(200, seen.Count);
    }
}
