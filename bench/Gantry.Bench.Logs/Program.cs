// Gantry.Logs benchmarks: SqliteLogStore appends and searches next to plain SQLite doing the same rows in the
// same run (the [Benchmark(Baseline = true)] of each class), so the Ratio column compares them.
// Usage: dotnet run -c Release --project bench/Gantry.Bench.Logs [-- --filter *Append*]
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Gantry.Bench.Logs;

BenchmarkRunner.Run([typeof(AppendBenchmarks), typeof(FilterBenchmarks)], DefaultConfig.Instance, args);
