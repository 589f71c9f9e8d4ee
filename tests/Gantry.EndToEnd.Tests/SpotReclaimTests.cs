using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Fargate Spot reclaim on real nodes: `gantry server`, one `gantry agent --capacity fargate` and one
/// `--capacity fargate-spot` on this host (own bridges and state directories), a Fargate service split over FARGATE_SPOT
/// and FARGATE, driven with the real AWS CLI. Reclaiming the Spot node (`gantry node reclaim`, or SIGTERM to its agent)
/// stops its tasks with SIGTERM and stopCode SpotInterruption, and the service gets back to its count on FARGATE.
/// </summary>
public sealed class SpotReclaimTests : IAsyncLifetime
{
    private const string Cluster = "spotty";
    private const string Reason = "Your Spot Task was interrupted.";
    private string Network => $"awsvpcConfiguration={{subnets=[{_subnet}]}}";
    private const string Strategy = "capacityProvider=FARGATE_SPOT,weight=1";
    private const string OnDemandStrategy = "capacityProvider=FARGATE,weight=1";
    private static readonly (string Capacity, int Octet)[] Nodes = [("fargate", 231), ("fargate-spot", 232)];
    private readonly List<(GantryProcess Agent, string State, int Octet)> _agents = [];
    private GantryProcess _server = null!;
    private AwsCli _aws = null!;
    private string _subnet = null!;

    public async Task InitializeAsync()
    {
        _server = await GantryProcess.StartAsync("server");
        await ServerProfile.WriteAsync(_server);
        _aws = new AwsCli(_server);
        _subnet = await _aws.DefaultSubnetAsync();
        await _aws.OkAsync("ecs", "create-cluster", "--cluster-name", Cluster, "--capacity-providers", "FARGATE", "FARGATE_SPOT");
        await SampleImage.ImportBusyboxAsync(_server);
        foreach (var (capacity, octet) in Nodes)
        {
            await StartAgentAsync(capacity, octet);
        }
        // A container that exits 0 on SIGTERM: its exit code shows it was asked to stop, not killed.
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "e2e-spot", "--requires-compatibilities", "FARGATE", "--network-mode", "awsvpc",
            "--cpu", "256", "--memory", "512", "--container-definitions", """
            [{"name":"app","image":"busybox","essential":true,"command":["sh","-c","trap 'exit 0' TERM; while true; do sleep 1; done"]}]
            """);
    }

    public async Task DisposeAsync()
    {
        foreach (var (agent, state, octet) in _agents)
        {
            await agent.DisposeAsync();
            await NodeCleanup.RemoveContainersAsync(state);
            await Tool.RunAsync("/usr/sbin/ip", ["link", "delete", $"gantry{octet}"]);
        }
        await _server.DisposeAsync();
    }

    private async Task<GantryProcess> StartAgentAsync(string capacity, int octet)
    {
        var state = Path.Combine(_server.Home, $"agent-{octet}");
        var token = (await _server.CliAsync(null, "node", "token", "create", "--capacity", capacity)).Trim();
        var agent = await _server.StartPoolAgentAsync(null, state, "--capacity", capacity, "--join-token", token, "--bridge-address", $"10.{octet}.0.1");
        _agents.Add((agent, state, octet));
        return agent;
    }

    private async Task<List<JsonElement>> TasksAsync(IEnumerable<string> arns) =>
        [.. (await _aws.OkAsync(["ecs", "describe-tasks", "--cluster", Cluster, "--tasks", .. arns])).GetProperty("tasks").EnumerateArray()];

    private async Task<List<JsonElement>> ServiceTasksAsync(string service)
    {
        var arns = (await _aws.OkAsync("ecs", "list-tasks", "--cluster", Cluster, "--service-name", service)).GetProperty("taskArns")
            .EnumerateArray().Select(a => a.GetString()!).ToList();
        return arns.Count == 0 ? [] : await TasksAsync(arns);
    }

    private static bool Running(JsonElement task) => task.GetProperty("lastStatus").GetString() == "RUNNING";

    private static string Provider(JsonElement task) => task.GetProperty("capacityProviderName").GetString()!;

    /// <summary>The node id `gantry node ls` shows for the one node of <paramref name="capacity"/>.</summary>
    private async Task<string> NodeIdAsync(string capacity)
    {
        var listed = await _server.CliAsync(null, "node", "ls");
        return listed.Split('\n').Single(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var c, ..] && c == capacity)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }

    private static void AssertInterrupted(JsonElement task)
    {
        Assert.Equal("STOPPED", task.GetProperty("lastStatus").GetString());
        Assert.Equal("SpotInterruption", task.GetProperty("stopCode").GetString());
        Assert.Equal(Reason, task.GetProperty("stoppedReason").GetString());
        Assert.Equal(0, task.GetProperty("containers")[0].GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Gantry_node_reclaim_interrupts_the_spot_tasks_and_the_service_gets_back_to_its_count_on_FARGATE()
    {
        await _aws.OkAsync("ecs", "create-service", "--cluster", Cluster, "--service-name", "web", "--task-definition", "e2e-spot", "--desired-count", "4",
            "--capacity-provider-strategy", Strategy, OnDemandStrategy, "--network-configuration", Network);
        List<JsonElement> tasks = [];
        await Eventually.TrueAsync(async () => (tasks = await ServiceTasksAsync("web")).Count(Running) == 4, 120);
        var spot = tasks.Where(t => Provider(t) == "FARGATE_SPOT").Select(t => t.GetProperty("taskArn").GetString()!).ToList();
        Assert.Equal(2, spot.Count);
        Assert.All(tasks, t => Assert.Equal("FARGATE", t.GetProperty("launchType").GetString()));

        var output = await _server.CliAsync(null, "node", "reclaim", await NodeIdAsync("FARGATE_SPOT"));

        Assert.Contains("reclaimed: 2 tasks interrupted, 120 s to stop", output, StringComparison.Ordinal);
        Assert.All(spot, arn => Assert.Contains(arn, output, StringComparison.Ordinal));
        List<JsonElement> interrupted = [];
        await Eventually.TrueAsync(async () => (interrupted = await TasksAsync(spot)).All(t => t.GetProperty("lastStatus").GetString() == "STOPPED"), 60);
        Assert.All(interrupted, AssertInterrupted);

        // Replacements land on FARGATE (no Spot capacity left), and the service is whole again.
        await Eventually.TrueAsync(async () =>
        {
            var service = (await _aws.OkAsync("ecs", "describe-services", "--cluster", Cluster, "--services", "web")).GetProperty("services")[0];
            tasks = await ServiceTasksAsync("web");
            return service.GetProperty("runningCount").GetInt32() == 4 && tasks.Count(Running) == 4;
        }, 120);
        Assert.All(tasks.Where(Running), t => Assert.Equal("FARGATE", Provider(t)));
        Assert.Contains("RECLAIMED", await _server.CliAsync(null, "node", "ls"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_to_a_spot_agent_reclaims_its_node_stops_its_tasks_and_the_agent_exits()
    {
        var spotAgent = _agents.Single(a => a.Octet == 232).Agent;
        var run = await _aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "e2e-spot", "--count", "2",
            "--capacity-provider-strategy", Strategy, "--network-configuration", Network);
        var arns = run.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskArn").GetString()!).ToList();
        Assert.Equal(2, arns.Count);
        await _aws.OkAsync(["ecs", "wait", "tasks-running", "--cluster", Cluster, "--tasks", .. arns]);

        await spotAgent.TerminateAsync(TimeSpan.FromSeconds(150));

        // The agent waited for the ends to be recorded before it exited.
        Assert.All(await TasksAsync(arns), AssertInterrupted);
        Assert.Contains("is being reclaimed: 2 tasks interrupted", _server.Output, StringComparison.Ordinal);
        Assert.Contains("RECLAIMED", await _server.CliAsync(null, "node", "ls"), StringComparison.Ordinal);
        var refused = await _aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "e2e-spot",
            "--capacity-provider-strategy", Strategy, "--network-configuration", Network);
        Assert.Empty(refused.GetProperty("tasks").EnumerateArray());
    }
}
