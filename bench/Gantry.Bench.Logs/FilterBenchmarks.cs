using BenchmarkDotNet.Attributes;
using Gantry.Logs;
using Gantry.Logs.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gantry.Bench.Logs;

/// <summary>
/// FilterLogEvents over a group of 1,000,000 events in 10 streams: the first page and every page for a rare
/// term (10 hits), and the first page for a common one (10% hit), against plain SQLite scanning the same rows
/// (no index) with instr() for the rare term.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private const int Events = 1_000_000;
    private const int Streams = 10;
    private const string Group = "/ecs/bench";
    private static readonly FilterPattern Rare = FilterPattern.Parse(BenchData.RareTerm);
    private static readonly FilterPattern Common = FilterPattern.Parse($"\"{BenchData.CommonTerm}\"");
    private string _directory = "";
    private SqliteLogStore _store = null!;
    private SqliteConnection _plain = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = BenchData.TempDirectory("filter");
        _store = await SqliteLogStore.OpenAsync(Path.Combine(_directory, "logs.db"), CancellationToken.None);
        _plain = BenchData.OpenPlain(Path.Combine(_directory, "plain.db"));
        for (var first = 0; first < Events; first += 10_000)
        {
            var stream = first / 10_000 % Streams;
            var batch = BenchData.Batch(first, 10_000, 1_700_000_000_000);
            await _store.AppendAsync(Group, $"web/{stream}", batch, 1, createMissing: true, CancellationToken.None);
            BenchData.PlainInsert(_plain, batch, stream);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        _plain.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int PlainSqliteScanRare()
    {
        using var command = _plain.CreateCommand();
        command.CommandText = "SELECT id, ts, stream_id, message FROM events WHERE instr(message, $term) > 0 ORDER BY ts, id";
        command.Parameters.AddWithValue("$term", BenchData.RareTerm);
        using var rows = command.ExecuteReader();
        var found = 0;
        while (rows.Read())
        {
            _ = rows.GetString(3);
            found++;
        }
        return found;
    }

    [Benchmark]
    public async Task<int> StoreFirstPageRare() =>
        (await _store.FilterEventsAsync(Group, null, null, null, null, Rare, null, 10_000, CancellationToken.None))!.Events.Count;

    [Benchmark]
    public async Task<int> StoreAllPagesRare()
    {
        var found = 0;
        string? token = null;
        do
        {
            var page = (await _store.FilterEventsAsync(Group, null, null, null, null, Rare, token, 10_000, CancellationToken.None))!;
            found += page.Events.Count;
            token = page.NextToken;
        }
        while (token is not null);
        return found == 10 ? found : throw new InvalidOperationException($"found {found} events, not 10");
    }

    [Benchmark]
    public async Task<int> StoreFirstPageCommon() =>
        (await _store.FilterEventsAsync(Group, null, null, null, null, Common, null, 10_000, CancellationToken.None))!.Events.Count;
}
