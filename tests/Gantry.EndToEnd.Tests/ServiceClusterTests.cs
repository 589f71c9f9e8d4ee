using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Services on a real multi-node cluster (agents in network namespaces): DAEMON, draining, lost nodes.</summary>
public sealed class ServiceClusterTests(NamespaceCluster cluster) : IClassFixture<NamespaceCluster>
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
        await cluster.Agents[1].KillAsync();
        await WaitAsync(t => t.Count(x => Running(x) && Instance(x) != victim) == 3, "replica", 180);
        await cluster.StartAgentAsync(1);
        await WaitAsync(t => t.Count(Running) == 3 && t.Count == 3, "replica", 180);

        foreach (var service in new[] { "replica", "daemon" })
        {
            await Aws.OkAsync("ecs", "delete-service", "--cluster", C, "--service", service, "--force");
        }
        await Aws.OkAsync("ecs", "wait", "services-inactive", "--cluster", C, "--services", "replica", "daemon");
    }
}
