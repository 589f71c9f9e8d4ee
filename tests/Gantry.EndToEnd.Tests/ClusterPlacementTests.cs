using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Placement on a real three-node cluster (each agent in its own network namespace) with the real AWS CLI.</summary>
public sealed class ClusterPlacementTests(NamespaceCluster cluster) : IClassFixture<NamespaceCluster>
{
    private AwsCli Aws => cluster.Aws;
    private const string C = NamespaceCluster.Cluster;

    private async Task RegisterAsync(string family, int memory = 64) =>
        await Aws.OkAsync("ecs", "register-task-definition", "--family", family, "--network-mode", "bridge", "--container-definitions",
            $$"""[{"name":"app","image":"busybox","cpu":512,"memory":{{memory}},"essential":true,"stopTimeout":2,"command":["sleep","600"]}]""");

    private async Task<List<(string Task, string Instance)>> RunAsync(string family, int count, params string[] extra)
    {
        var run = await Aws.OkAsync(["ecs", "run-task", "--cluster", C, "--task-definition", family, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra]);
        return [.. run.GetProperty("tasks").EnumerateArray().Select(t => (t.GetProperty("taskArn").GetString()!, t.GetProperty("containerInstanceArn").GetString()!))];
    }

    private async Task RunningThenStopAsync(IReadOnlyList<(string Task, string Instance)> placed)
    {
        var arns = placed.Select(p => p.Task).ToArray();
        var waited = await Aws.RunAsync(["ecs", "wait", "tasks-running", "--cluster", C, "--tasks", .. arns]);
        if (waited.ExitCode != 0)
        {
            var described = await Aws.OkAsync(["ecs", "describe-tasks", "--cluster", C, "--tasks", .. arns]);
            Assert.Fail($"tasks did not reach RUNNING: {described}");
        }
        foreach (var arn in arns)
        {
            await Aws.OkAsync("ecs", "stop-task", "--cluster", C, "--task", arn);
        }
        await Aws.OkAsync(["ecs", "wait", "tasks-stopped", "--cluster", C, "--tasks", .. arns]);
    }

    [Fact]
    public async Task Binpack_fills_one_node_before_the_next_and_the_tasks_run_there()
    {
        await RegisterAsync("netns-binpack");
        var placed = await RunAsync("netns-binpack", 6, "--placement-strategy", "type=binpack,field=cpu");
        var perNode = placed.GroupBy(p => p.Instance).Select(g => g.Count()).OrderDescending().ToList();
        Assert.Equal([4, 2], perNode); // 2 cores = 2048 units hold four 512-unit tasks
        await RunningThenStopAsync(placed);
    }

    [Fact]
    public async Task Spread_over_availability_zones_balances_within_one_run_task()
    {
        await RegisterAsync("netns-spread");
        var placed = await RunAsync("netns-spread", 3, "--placement-strategy", "type=spread,field=attribute:ecs.availability-zone");
        Assert.Equal(3, placed.Select(p => p.Instance).Distinct().Count());
        await RunningThenStopAsync(placed);
    }

    [Fact]
    public async Task DistinctInstance_and_memberOf_are_honoured()
    {
        await RegisterAsync("netns-constrained");
        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", C, "--task-definition", "netns-constrained", "--count", "4", "--group", "one-each",
            "--placement-constraints", "type=distinctInstance");
        Assert.Equal(3, run.GetProperty("tasks").GetArrayLength());
        Assert.NotEmpty(run.GetProperty("failures").EnumerateArray());
        var distinct = run.GetProperty("tasks").EnumerateArray().Select(t => (t.GetProperty("taskArn").GetString()!, t.GetProperty("containerInstanceArn").GetString()!)).ToList();
        Assert.Equal(3, distinct.Select(d => d.Item2).Distinct().Count());
        await RunningThenStopAsync(distinct);

        var member = await RunAsync("netns-constrained", 2, "--placement-constraints", "type=memberOf,expression=attribute:ecs.availability-zone == az-2");
        var zone2 = await ZoneInstanceAsync("az-2");
        Assert.All(member, m => Assert.Equal(zone2, m.Instance));
        await RunningThenStopAsync(member);
    }

    [Fact]
    public async Task An_impossible_placement_reports_every_node_and_creates_nothing()
    {
        await RegisterAsync("netns-huge", memory: 50_000_000);
        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", C, "--task-definition", "netns-huge");
        Assert.Empty(run.GetProperty("tasks").EnumerateArray());
        var reasons = run.GetProperty("failures").EnumerateArray().Select(f => f.GetProperty("reason").GetString()).ToList();
        Assert.Equal(["RESOURCE:MEMORY", "RESOURCE:MEMORY", "RESOURCE:MEMORY"], reasons);
        Assert.Empty((await Aws.OkAsync("ecs", "list-tasks", "--cluster", C, "--family", "netns-huge")).GetProperty("taskArns").EnumerateArray());
        var described = (await Aws.OkAsync("ecs", "describe-clusters", "--clusters", C)).GetProperty("clusters")[0];
        Assert.Equal(0, described.GetProperty("pendingTasksCount").GetInt32());
    }

    private async Task<string> ZoneInstanceAsync(string zone)
    {
        var arns = (await Aws.OkAsync("ecs", "list-container-instances", "--cluster", C, "--filter", $"attribute:ecs.availability-zone == {zone}"))
            .GetProperty("containerInstanceArns");
        return arns[0].GetString()!;
    }
}
