using System.Diagnostics;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Services on a real multi-node cluster (agents in network namespaces) with the real AWS CLI: steady state and
/// self-healing, rolling updates and the circuit breaker, DAEMON, draining, lost nodes (a killed agent, a cut link).
/// </summary>
public sealed class ServiceClusterTests(NamespaceCluster cluster, ITestOutputHelper output) : IClassFixture<NamespaceCluster>
{
    private const string C = NamespaceCluster.Cluster;
    private AwsCli Aws => cluster.Aws;

    private async Task<List<JsonElement>> LiveTasksAsync(string service)
    {
        var arns = (await Aws.OkAsync("ecs", "list-tasks", "--cluster", C, "--service-name", service)).GetProperty("taskArns").EnumerateArray().Select(a => a.GetString()!).ToArray();
        return arns.Length == 0 ? [] : [.. (await Aws.OkAsync(["ecs", "describe-tasks", "--cluster", C, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray()];
    }

    private async Task<Dictionary<string, string>> InstancesByZoneAsync()
    {
        var arns = (await Aws.OkAsync("ecs", "list-container-instances", "--cluster", C)).GetProperty("containerInstanceArns").EnumerateArray().Select(a => a.GetString()!).ToArray();
        var described = await Aws.OkAsync(["ecs", "describe-container-instances", "--cluster", C, "--container-instances", .. arns]);
        return described.GetProperty("containerInstances").EnumerateArray().ToDictionary(
            i => i.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "ecs.availability-zone").GetProperty("value").GetString()!,
            i => i.GetProperty("containerInstanceArn").GetString()!);
    }

    private Task WaitAsync(Func<List<JsonElement>, bool> condition, string service, int seconds = 120) =>
        Eventually.TrueAsync(async () =>
        {
            var tasks = await LiveTasksAsync(service);
            return condition(tasks);
        }, seconds);

    private static bool Running(JsonElement task) => task.GetProperty("lastStatus").GetString() == "RUNNING";

    private static string Instance(JsonElement task) => task.GetProperty("containerInstanceArn").GetString()!;

    // The check takes 2 s, so a task turns HEALTHY a moment after it runs (a rollback stays observable for that long).
    private const string Healthy = """
        [{"name":"app","image":"busybox","memory":16,"essential":true,"stopTimeout":1,"command":["sleep","600"],
          "healthCheck":{"command":["CMD-SHELL","sleep 2"],"interval":5,"timeout":4,"retries":1}}]
        """;

    private async Task<JsonElement> ServiceAsync(string name) =>
        (await Aws.OkAsync("ecs", "describe-services", "--cluster", C, "--services", name)).GetProperty("services")[0];

    /// <summary>The node (0-based index) a container instance runs on: its zone az-N is node N-1.</summary>
    private async Task<int> NodeOfAsync(string instanceArn) =>
        int.Parse((await InstancesByZoneAsync()).Single(z => z.Value == instanceArn).Key["az-".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1;

    [Fact]
    public async Task Six_replicas_reach_steady_state_and_heal_a_killed_container_and_a_killed_agent()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-six", "--network-mode", "bridge", "--container-definitions", Healthy);
        await Aws.OkAsync("ecs", "create-service", "--cluster", C, "--service-name", "six", "--task-definition", "svc-six", "--desired-count", "6");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "six");
        var tasks = await LiveTasksAsync("six");
        Assert.Equal(6, tasks.Count(Running));
        Assert.True(tasks.Select(Instance).Distinct().Count() >= 3, "replicas spread over the zones");

        // kill -9 of one container: the task stops and a replacement runs.
        var victim = tasks[0];
        var victimArn = victim.GetProperty("taskArn").GetString()!;
        var node = await NodeOfAsync(Instance(victim));
        await Tool.OkAsync("/usr/sbin/runc", ["--root", Path.Combine(cluster.StateDirectories[node], "runc"), "kill", $"{victimArn[(victimArn.LastIndexOf('/') + 1)..]}-app", "KILL"]);
        await WaitAsync(t => t.Count(Running) == 6 && t.All(x => x.GetProperty("taskArn").GetString() != victimArn), "six");

        // kill -9 of a whole agent: its tasks are replaced on the other nodes, and when it returns the surplus goes.
        var lostNode = (node + 1) % 3;
        var lost = (await InstancesByZoneAsync())[$"az-{lostNode + 1}"];
        await cluster.AgentOf(lostNode).KillAsync();
        await WaitAsync(t => t.Count(x => Running(x) && Instance(x) != lost) == 6, "six", 180);
        await cluster.StartAgentAsync(lostNode);
        await WaitAsync(t => t.Count(Running) == 6 && t.Count == 6, "six", 180);
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "six");
        await Aws.OkAsync("ecs", "delete-service", "--cluster", C, "--service", "six", "--force");
        await Aws.OkAsync("ecs", "wait", "services-inactive", "--cluster", C, "--services", "six");
    }

    [Fact]
    public async Task A_rolling_update_never_drops_below_half_healthy_and_a_crashing_revision_rolls_back()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-roll", "--network-mode", "bridge", "--container-definitions", Healthy);
        await Aws.OkAsync("ecs", "create-service", "--cluster", C, "--service-name", "roll", "--task-definition", "svc-roll", "--desired-count", "6",
            "--deployment-configuration", "minimumHealthyPercent=50,maximumPercent=200,deploymentCircuitBreaker={enable=true,rollback=true}");
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "roll");
        // services-stable only asks for 6 RUNNING; the rollout below counts HEALTHY ones, so start from 6 of those.
        await WaitAsync(t => t.Count(x => Running(x) && x.GetProperty("healthStatus").GetString() == "HEALTHY") == 6, "roll");

        var second = (await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-roll", "--network-mode", "bridge", "--container-definitions",
            Healthy.Replace("sleep\",\"600", "sleep\",\"601", StringComparison.Ordinal).Replace("sleep 2\"],\"interval\":5,\"timeout\":4", "sleep 12\"],\"interval\":15,\"timeout\":14", StringComparison.Ordinal)))
            .GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString();
        // Revision 2's health check takes 12 s: the rollback to it below stays in progress at least that long,
        // and the failed deployment is shown as FAILED meanwhile (the breaker trips within ~1 s, before the first poll).
        await Aws.OkAsync("ecs", "update-service", "--cluster", C, "--service", "roll", "--task-definition", "svc-roll:2");
        // Checked continuously: RUNNING tasks whose health check passed, whatever their revision.
        var lowest = int.MaxValue;
        await Eventually.TrueAsync(async () =>
        {
            var healthy = (await LiveTasksAsync("roll")).Count(t => Running(t) && t.GetProperty("healthStatus").GetString() == "HEALTHY");
            lowest = Math.Min(lowest, healthy);
            var service = await ServiceAsync("roll");
            var deployments = service.GetProperty("deployments");
            return deployments.GetArrayLength() == 1 && deployments[0].GetProperty("taskDefinition").GetString() == second
                && deployments[0].GetProperty("rolloutState").GetString() == "COMPLETED";
        }, 180);
        Assert.True(lowest >= 3, $"healthy tasks dropped to {lowest} during the rollout");

        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-roll", "--network-mode", "bridge", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"command":["sh","-c","exit 1"]}]""");
        // At most 100%: the bad revision replaces half the tasks, so the rollback has tasks to start again.
        await Aws.OkAsync("ecs", "update-service", "--cluster", C, "--service", "roll", "--task-definition", "svc-roll:3",
            "--deployment-configuration", "minimumHealthyPercent=50,maximumPercent=100,deploymentCircuitBreaker={enable=true,rollback=true}");
        // The breaker trips: the bad deployment shows rolloutState FAILED while the rollback to revision 2 runs.
        var failedShown = false;
        var seen = new List<string>(); // what each poll saw, for the message when the state was missed
        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () =>
        {
            var service = await ServiceAsync("roll");
            var deployments = service.GetProperty("deployments").EnumerateArray().ToList();
            seen.Add($"{clock.Elapsed.TotalSeconds:F1}s " + string.Join(", ", deployments.Select(d =>
                $"{d.GetProperty("taskDefinition").GetString()![^1..]}:{d.GetProperty("status").GetString()}/{d.GetProperty("rolloutState").GetString()}/{d.GetProperty("runningCount").GetInt32()}")));
            failedShown |= deployments.Any(d =>
                d.GetProperty("taskDefinition").GetString()!.EndsWith(":3", StringComparison.Ordinal) && d.GetProperty("rolloutState").GetString() == "FAILED");
            return service.GetProperty("events").EnumerateArray()
                .Any(e => e.GetProperty("message").GetString()!.Contains("deployment failed: tasks failed to start", StringComparison.Ordinal));
        }, 180);
        Assert.True(failedShown, $"the failed deployment was never shown with rolloutState FAILED; polls saw (revision:status/rollout/running): {string.Join("; ", seen)}");
        await Eventually.TrueAsync(async () =>
        {
            var service = await ServiceAsync("roll");
            var deployments = service.GetProperty("deployments");
            return deployments.GetArrayLength() == 1 && deployments[0].GetProperty("taskDefinition").GetString() == second
                && deployments[0].GetProperty("rolloutState").GetString() == "COMPLETED" && service.GetProperty("runningCount").GetInt32() == 6;
        }, 180);
        await Aws.OkAsync("ecs", "wait", "services-stable", "--cluster", C, "--services", "roll");
        var rolledBack = await ServiceAsync("roll");
        Assert.Contains(rolledBack.GetProperty("events").EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("rolling back to deployment", StringComparison.Ordinal));
        Assert.Equal(second, rolledBack.GetProperty("taskDefinition").GetString());
        await Aws.OkAsync("ecs", "delete-service", "--cluster", C, "--service", "roll", "--force");
        await Aws.OkAsync("ecs", "wait", "services-inactive", "--cluster", C, "--services", "roll");
    }

    [Fact]
    public async Task Daemon_services_follow_nodes_draining_moves_tasks_and_lost_nodes_are_replaced()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-node", "--network-mode", "bridge", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"stopTimeout":1,"command":["sleep","600"]}]""");

        // DAEMON: one task per node, and a node that joins later gets its own.
        await Aws.OkAsync("ecs", "create-service", "--cluster", C, "--service-name", "daemon", "--task-definition", "svc-node", "--scheduling-strategy", "DAEMON");
        await WaitAsync(t => t.Count(Running) == 3 && t.Select(Instance).Distinct().Count() == 3, "daemon");
        await cluster.StartAgentAsync(3);
        await WaitAsync(t => t.Count(Running) == 4 && t.Select(Instance).Distinct().Count() == 4, "daemon");

        // REPLICA spread over zones; draining a node moves its task away.
        await Aws.OkAsync("ecs", "create-service", "--cluster", C, "--service-name", "replica", "--task-definition", "svc-node", "--desired-count", "3");
        await WaitAsync(t => t.Count(Running) == 3, "replica");
        var zones = await InstancesByZoneAsync();
        await Aws.OkAsync("ecs", "update-container-instances-state", "--cluster", C, "--container-instances", zones["az-1"], "--status", "DRAINING");
        await WaitAsync(t => t.Count(Running) == 3 && t.All(x => Instance(x) != zones["az-1"]), "replica");
        await WaitAsync(t => t.Count(Running) == 3 && t.All(x => Instance(x) != zones["az-1"]), "daemon");
        await Aws.OkAsync("ecs", "update-container-instances-state", "--cluster", C, "--container-instances", zones["az-1"], "--status", "ACTIVE");

        // A node that dies (kill -9 of its agent) has its service tasks replaced elsewhere after the grace period;
        // when it comes back, the surplus is stopped and the service returns to its desired count.
        var victim = zones["az-2"];
        await WaitAsync(t => t.Count(Running) == 3, "replica");
        await cluster.AgentOf(1).KillAsync();
        await WaitAsync(t => t.Count(x => Running(x) && Instance(x) != victim) == 3, "replica", 180);
        await cluster.StartAgentAsync(1);
        await WaitAsync(t => t.Count(Running) == 3 && t.Count == 3, "replica", 180);

        foreach (var service in new[] { "replica", "daemon" })
        {
            await Aws.OkAsync("ecs", "delete-service", "--cluster", C, "--service", service, "--force");
        }
        await Aws.OkAsync("ecs", "wait", "services-inactive", "--cluster", C, "--services", "replica", "daemon");
    }

    private async Task<bool> AgentConnectedAsync(string instanceArn) =>
        (await Aws.OkAsync("ecs", "describe-container-instances", "--cluster", C, "--container-instances", instanceArn))
            .GetProperty("containerInstances")[0].GetProperty("agentConnected").GetBoolean();

    private async Task<List<JsonElement>> DescribeTasksAsync(IEnumerable<string> arns) =>
        [.. (await Aws.OkAsync(["ecs", "describe-tasks", "--cluster", C, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray()];

    private static string TaskId(string taskArn) => taskArn[(taskArn.LastIndexOf('/') + 1)..];

    /// <summary>The ids of the runc containers running on node <paramref name="node"/> (0-based), as its runtime lists them.</summary>
    private async Task<IReadOnlyList<string>> RunningContainersAsync(int node)
    {
        var root = Path.Combine(cluster.StateDirectories[node], "runc");
        if (!Directory.Exists(root))
        {
            return [];
        }
        var listed = await Tool.OkAsync("/usr/sbin/runc", ["--root", root, "list", "--format", "json"]);
        using var json = JsonDocument.Parse(string.IsNullOrWhiteSpace(listed) || listed.Trim() == "null" ? "[]" : listed);
        return [.. json.RootElement.EnumerateArray().Where(c => c.GetProperty("status").GetString() == "running").Select(c => c.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task A_node_cut_from_the_network_has_its_tasks_replaced_and_its_surplus_stopped_when_it_returns()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "svc-cut", "--network-mode", "bridge", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"stopTimeout":1,"command":["sleep","600"]}]""");
        await Aws.OkAsync("ecs", "create-service", "--cluster", C, "--service-name", "cut", "--task-definition", "svc-cut", "--desired-count", "6");
        await WaitAsync(t => t.Count(Running) == 6, "cut", 60);

        // Node 3 (az-3) is cut: the bridge side of its veth goes down, so its agent and containers keep running but
        // nothing it sends arrives, and nothing tells either side (no FIN, no reset).
        const int node = 2;
        var victim = (await InstancesByZoneAsync())["az-3"];
        var stranded = (await LiveTasksAsync("cut")).Where(t => Instance(t) == victim).Select(t => t.GetProperty("taskArn").GetString()!).ToList();
        Assert.NotEmpty(stranded);
        var strandedContainers = stranded.Select(a => $"{TaskId(a)}-app").ToList();
        var before = await RunningContainersAsync(node);
        Assert.All(strandedContainers, c => Assert.Contains(c, before));

        var clock = Stopwatch.StartNew();
        await cluster.SetLinkAsync(node, up: false);
        TimeSpan disconnected, replaced;
        try
        {
            await Eventually.TrueAsync(async () => !await AgentConnectedAsync(victim), 40);
            disconnected = clock.Elapsed;
            // Replaced after --node-lost-after: six RUNNING elsewhere, and the stranded tasks no longer wanted.
            await WaitAsync(t => t.Count(x => Running(x) && Instance(x) != victim) == 6 && t.Count == 6, "cut", 40);
            replaced = clock.Elapsed;
            foreach (var task in await DescribeTasksAsync(stranded))
            {
                Assert.Equal("STOPPED", task.GetProperty("desiredStatus").GetString());
                Assert.Equal("ServiceSchedulerInitiated", task.GetProperty("stopCode").GetString());
                Assert.Equal("Task stopped because its container instance was lost", task.GetProperty("stoppedReason").GetString());
            }
            // The node never heard of it: its containers still run.
            var during = await RunningContainersAsync(node);
            Assert.All(strandedContainers, c => Assert.Contains(c, during));
        }
        finally
        {
            await cluster.SetLinkAsync(node, up: true);
        }

        clock.Restart();
        await Eventually.TrueAsync(() => AgentConnectedAsync(victim), 40);
        var reconnected = clock.Elapsed;
        // The agent reports the stranded tasks still running; they are the surplus, stopped on the node.
        await Eventually.TrueAsync(async () =>
        {
            var running = await RunningContainersAsync(node);
            return !strandedContainers.Any(running.Contains)
                && (await DescribeTasksAsync(stranded)).All(t => t.GetProperty("lastStatus").GetString() == "STOPPED");
        }, 40);
        var surplusStopped = clock.Elapsed;
        output.WriteLine($"cut: marked disconnected after {disconnected.TotalSeconds:F1} s, tasks replaced after {replaced.TotalSeconds:F1} s; "
            + $"link up: reconnected after {reconnected.TotalSeconds:F1} s, surplus stopped after {surplusStopped.TotalSeconds:F1} s");

        // Exactly the desired count, none doubled: six RUNNING tasks, six running containers of the service on all nodes.
        var live = await LiveTasksAsync("cut");
        Assert.Equal(6, live.Count);
        Assert.All(live, t => Assert.True(Running(t)));
        var ids = live.Concat(await DescribeTasksAsync(stranded)).Select(t => $"{TaskId(t.GetProperty("taskArn").GetString()!)}-app").ToHashSet();
        var containers = new List<string>();
        for (var i = 0; i < cluster.StateDirectories.Count; i++)
        {
            containers.AddRange((await RunningContainersAsync(i)).Where(ids.Contains));
        }
        Assert.Equal(live.Select(t => $"{TaskId(t.GetProperty("taskArn").GetString()!)}-app").Order(), containers.Order());
        await Eventually.TrueAsync(async () => (await ServiceAsync("cut")).GetProperty("runningCount").GetInt32() == 6, 20);

        await Aws.OkAsync("ecs", "delete-service", "--cluster", C, "--service", "cut", "--force");
        await Aws.OkAsync("ecs", "wait", "services-inactive", "--cluster", C, "--services", "cut");
    }
}
