using BenchmarkDotNet.Attributes;
using Gantry.Logs;
using Gantry.Logs.Sqlite;
using Microsoft.Data.Sqlite;

namespace Gantry.Bench.Logs;

/// <summary>
/// One durable append of 10,000 ~80-byte events (results are per event): the store (two indexes, offsets,
/// stream and group counters) against a plain insert of the same rows into a table without indexes.
/// </summary>
[Config(typeof(AppendConfig))]
[MemoryDiagnoser]
public class AppendBenchmarks
{
    private const int BatchSize = 10_000;
    private string _directory = "";
    private SqliteLogStore _store = null!;
    private SqliteConnection _plain = null!;
    private NewLogEvent[] _batch = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = BenchData.TempDirectory("append");
        _store = await SqliteLogStore.OpenAsync(Path.Combine(_directory, "logs.db"), CancellationToken.None);
        _plain = BenchData.OpenPlain(Path.Combine(_directory, "plain.db"));
        _batch = BenchData.Batch(0, BatchSize, 1_700_000_000_000);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        _plain.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void PlainSqliteInsert() => BenchData.PlainInsert(_plain, NextBatch(), 1);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public Task<AppendResult> StoreAppend() =>
        _store.AppendAsync("/ecs/bench", "web/1", NextBatch(), 1_700_000_000_000, createMissing: true, CancellationToken.None);

    /// <summary>The batch moved one second later, as a live stream's next batch is (both benchmarks pay the same).</summary>
    private NewLogEvent[] NextBatch()
    {
        for (var i = 0; i < _batch.Length; i++)
        {
            _batch[i] = _batch[i] with { Timestamp = _batch[i].Timestamp + 1000 };
        }
        return _batch;
    }
}
