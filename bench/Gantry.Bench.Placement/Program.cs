// Placement benchmarks: Gantry's placement next to the placement code of main 509d04a (Baseline/, frozen) in the
// same run, so the Ratio column compares them. Usage: dotnet run -c Release --project bench/Gantry.Bench.Placement
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Gantry.Bench.Placement;

BenchmarkRunner.Run([typeof(PlacementBenchmarks)], DefaultConfig.Instance, args);
