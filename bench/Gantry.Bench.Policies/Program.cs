// IAM policy evaluation: one request against a 20-statement identity policy, next to the naive path (parse the
// document for every request) and a 1-statement policy in the same run, so the Ratio column compares them.
// Usage: dotnet run -c Release --project bench/Gantry.Bench.Policies
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Gantry.Bench.Policies;

BenchmarkRunner.Run([typeof(EvaluationBenchmarks)], DefaultConfig.Instance, args);
