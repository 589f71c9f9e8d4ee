using System.Diagnostics;
using Gantry.Api.Front;
using Gantry.Api.Tests;
using Gantry.Fuzz.Tests.Generation;
using Gantry.Fuzz.Tests.Model;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gantry.Fuzz.Tests;

/// <summary>
/// Drives every operation the front door dispatches, of every service, with hostile inputs generated from the
/// official AWS models, in-process against the real front door and real SQLite stores. Deterministic: the seed is
/// <see cref="DefaultSeed"/> unless GANTRY_FUZZ_SEED says otherwise.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const int DefaultSeed = 20261205;

    /// <summary>Cases per operation; null entries and whole-body damage always run, other variations are sampled to fill it.</summary>
    private const int BudgetPerOperation = 1000;

    /// <summary>Cases per awsQuery operation: a form's hostile values are fewer kinds than JSON's.</summary>
    private const int QueryBudgetPerOperation = 300;

    private readonly ApiTestHost _host = new() { RunsBackgroundLoops = false };
    private readonly SmithyModels _models = SmithyModels.Load(ModelDirectory.Find(), ModelDirectory.Botocore());

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private IReadOnlyList<string> Targets => [.. _host.Services.GetRequiredService<AwsOperationTable>().Targets.Order(StringComparer.Ordinal)];

    private IReadOnlyList<AwsOperation> QueryOperations => OperationsOf(AwsProtocol.AwsQuery);

    private IReadOnlyList<AwsOperation> Ec2Operations => OperationsOf(AwsProtocol.Ec2);

    private IReadOnlyList<AwsOperation> OperationsOf(AwsProtocol protocol) => [.. _host.Services.GetRequiredService<AwsOperationTable>().Operations
        .Where(o => o.Service.Protocol == protocol).OrderBy(o => o.Target, StringComparer.Ordinal)];

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("GANTRY_FUZZ_SEED"), out var configured) ? configured : DefaultSeed;

    [Fact]
    public void Every_dispatched_operation_has_a_model_shape()
    {
        var unmodelled = Targets.Concat(QueryOperations.Concat(Ec2Operations).Select(o => o.Target)).Where(t => _models.InputOf(t) is null).ToList();
        Assert.True(unmodelled.Count == 0, $"No model declares {string.Join(", ", unmodelled)}: add the service's model to shared/aws-models (AWS) or models/ (Gantry's own) so it is fuzzed.");
    }

    [Fact]
    public async Task Hostile_inputs_never_answer_5xx_and_refusals_are_AWS_errors_that_change_nothing()
    {
        var seed = Seed;
        var cases = new HostileCases(_models, new PlausibleValues(_models));
        using var runner = new FuzzRunner(_host);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var service in Targets.GroupBy(t => t[..t.IndexOf('.', StringComparison.Ordinal)]))
        {
            var (run, accepted) = (0, 0);
            foreach (var target in service)
            {
                await Fixtures.EnsureAsync(_host);
                var input = _models.InputOf(target) ?? throw new InvalidOperationException($"{target} has no model shape.");
                foreach (var fuzzCase in cases.For(target, input, new Random(seed ^ StableHash(target)), BudgetPerOperation))
                {
                    var (status, failure) = await runner.RunAsync(fuzzCase);
                    run++;
                    if (failure is not null)
                    {
                        failures.Add($"{fuzzCase.Target} {fuzzCase.Description}: {failure}\n    body: {FuzzRunner.Excerpt(fuzzCase.Body)}");
                    }
                    if (status == 200)
                    {
                        accepted++;
                        if (IsDestructive(target))
                        {
                            await Fixtures.EnsureAsync(_host);
                        }
                    }
                }
            }
            output.WriteLine($"{service.Key}: {service.Count()} operations, {run} cases ({accepted} accepted, {run - accepted} refused)");
        }
        output.WriteLine($"seed {seed}, {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} failures");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} hostile requests were mishandled:\n{string.Join('\n', failures.Take(30))}");
    }

    [Fact]
    public Task Hostile_awsQuery_inputs_never_answer_5xx_and_refusals_are_awsQuery_errors_that_change_nothing() =>
        FuzzFormsAsync(QueryOperations, QueryFixtures.EnsureAsync, "awsQuery");

    /// <summary>EC2's query protocol: members by their request names, lists <c>Name.N</c>, errors EC2's <c>Response/Errors/Error</c>.</summary>
    [Fact]
    public Task Hostile_ec2_inputs_never_answer_5xx_and_refusals_are_EC2_errors_that_change_nothing() =>
        FuzzFormsAsync(Ec2Operations, Ec2Fixtures.EnsureAsync, "ec2");

    /// <summary>Fuzzes form-encoded <paramref name="operations"/>, the fixtures <paramref name="ensure"/> makes (re)made before each.</summary>
    private async Task FuzzFormsAsync(IReadOnlyList<AwsOperation> operations, Func<ApiTestHost, Task<IReadOnlyDictionary<string, string>>> ensure, string protocol)
    {
        Assert.NotEmpty(operations);
        using var runner = new FuzzRunner(_host);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        foreach (var service in operations.GroupBy(o => o.Service.Name))
        {
            var (run, accepted) = (0, 0);
            foreach (var operation in service)
            {
                var input = _models.InputOf(operation.Target) ?? throw new InvalidOperationException($"{operation.Target} has no model shape.");
                var cases = new QueryCases(_models, new PlausibleValues(_models, await ensure(_host)));
                foreach (var fuzzCase in cases.For(operation.Service, operation.Name, input, new Random(Seed ^ StableHash(operation.Target)), QueryBudgetPerOperation))
                {
                    var (status, failure) = await runner.RunAsync(fuzzCase);
                    run++;
                    accepted += status == 200 ? 1 : 0;
                    if (failure is not null)
                    {
                        failures.Add($"{fuzzCase.Target} {fuzzCase.Description}: {failure}\n    body: {FuzzRunner.Excerpt(fuzzCase.Body)}");
                    }
                }
            }
            output.WriteLine($"{service.Key}: {service.Count()} operations, {run} cases ({accepted} accepted, {run - accepted} refused)");
        }
        output.WriteLine($"seed {Seed}, {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} failures");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} hostile {protocol} requests were mishandled:\n{string.Join('\n', failures.Take(30))}");
    }

    private static bool IsDestructive(string target) =>
        target.Contains(".Delete", StringComparison.Ordinal) || target.Contains(".Deregister", StringComparison.Ordinal);

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and the cases must not.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)hash;
    }
}
