using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Placement on a real three-node cluster (each agent in its own network namespace) with the real AWS CLI, and awsvpc
/// tasks on different nodes reaching each other by their subnet addresses as their security groups allow.
/// </summary>
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
    public async Task Awsvpc_tasks_on_different_nodes_reach_each_other_as_their_security_groups_allow()
    {
        var vpc = (await Aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")).GetProperty("Vpcs")[0].GetProperty("VpcId").GetString()!;
        var subnet = (await Aws.OkAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true", "Name=availability-zone,Values=az-1"))
            .GetProperty("Subnets")[0].GetProperty("SubnetId").GetString()!;
        var (groupA, groupB, server) = (await GroupAsync("nodes-a", vpc), await GroupAsync("nodes-b", vpc), await GroupAsync("nodes-server", vpc));
        await Aws.OkAsync("ec2", "authorize-security-group-ingress", "--group-id", server, "--protocol", "tcp", "--port", "8080", "--source-group", groupA);
        await RegisterAwsvpcAsync("netns-server", "mkdir -p /www && echo hi > /www/index.html && httpd -f -p 8080 -h /www");
        var (serverArn, serverIp) = await RunAwsvpcAsync("netns-server", subnet, server, "az-1");
        await RegisterAwsvpcAsync("netns-client", $"while true; do if timeout 2 wget -qO- http://{serverIp}:8080/ >/dev/null 2>&1; "
            + "then echo OK; else echo FAIL; fi; sleep 0.2; done");
        var (clientA, _) = await RunAwsvpcAsync("netns-client", subnet, groupA, "az-2");
        var (clientB, _) = await RunAwsvpcAsync("netns-client", subnet, groupB, "az-3");
        var logA = ContainerLog.PathOf(cluster.StateDirectories[1], clientA);
        var logB = ContainerLog.PathOf(cluster.StateDirectories[2], clientB);

        // Node 2 routes the server's address via node 1, whose firewall in the server's namespace lets group A in.
        await Eventually.TrueAsync(() => Task.FromResult(ContainerLog.Lines(logA).Any(l => l.Text == "OK")), 60);
        await Eventually.TrueAsync(() => Task.FromResult(ContainerLog.Lines(logB).Count(l => l.Text == "FAIL") >= 3), 60);
        Assert.DoesNotContain(ContainerLog.Lines(logB), l => l.Text == "OK");
        foreach (var arn in new[] { serverArn, clientA, clientB })
        {
            await Aws.OkAsync("ecs", "stop-task", "--cluster", C, "--task", arn);
        }
    }

    private async Task<string> GroupAsync(string name, string vpc) =>
        (await Aws.OkAsync("ec2", "create-security-group", "--group-name", name, "--description", name, "--vpc-id", vpc)).GetProperty("GroupId").GetString()!;

    private async Task RegisterAwsvpcAsync(string family, string script) =>
        await Aws.OkAsync("ecs", "register-task-definition", "--family", family, "--network-mode", "awsvpc", "--container-definitions",
            System.Text.Json.JsonSerializer.Serialize(new[] { new { name = "app", image = "busybox", memory = 32, essential = true, command = new[] { "sh", "-c", script } } }));

    /// <summary>Runs an awsvpc task on the node of <paramref name="zone"/>; its ARN and subnet address once RUNNING.</summary>
    private async Task<(string Arn, string Address)> RunAwsvpcAsync(string family, string subnet, string group, string zone)
    {
        var run = await Aws.OkAsync("ecs", "run-task", "--cluster", C, "--task-definition", family,
            "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}],securityGroups=[{group}]}}",
            "--placement-constraints", $"type=memberOf,expression=attribute:ecs.availability-zone == {zone}");
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", C, "--tasks", arn);
        var task = (await Aws.OkAsync("ecs", "describe-tasks", "--cluster", C, "--tasks", arn)).GetProperty("tasks")[0];
        return (arn, task.GetProperty("attachments")[0].GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "privateIPv4Address").GetProperty("value").GetString()!);
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
