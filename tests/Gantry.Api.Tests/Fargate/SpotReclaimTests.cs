using System.Text.Json;
using Gantry.Agent.Protocol;
using Grpc.Core;

namespace Gantry.Api.Tests.Fargate;

/// <summary>
/// Fargate Spot reclaim through the node admin API (ReclaimNode) and the agent's Reclaim RPC, with scripted agents on the
/// real stream. Pool nodes serve every cluster, so each test has its own control plane.
/// </summary>
public sealed class SpotReclaimTests : IAsyncLifetime
{
    private const string Admin = "GantryNodes_20261205";
    private const string Reason = "Your Spot Task was interrupted.";
    private readonly ApiTestHost _host = new();
    private readonly List<ScriptedAgent> _agents = [];
    private readonly string _cluster = $"spot-{Guid.NewGuid():N}"[..20];
    private string _subnet = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _subnet = await _host.DefaultSubnetAsync();
        await OkAsync("CreateCluster", $$"""{"clusterName":"{{_cluster}}","capacityProviders":["FARGATE","FARGATE_SPOT"]}""");
        // 1 vCPU / 2 GiB: one task fills a scripted node (2048 CPU units, 2048 MiB), so each placement has one place to go.
        await OkAsync("RegisterTaskDefinition", """
            {"family":"spot","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"1024","memory":"2048",
             "containerDefinitions":[{"name":"app","image":"busybox","essential":true,"command":["sleep","600"]}]}
            """);
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        await _host.DisposeAsync();
    }

    private async Task<ScriptedAgent> NodeAsync(string instanceId, string? capacity, string cluster = "")
    {
        var agent = await ScriptedAgent.StartAsync(_host, cluster, instanceId, capacity);
        _agents.Add(agent);
        return agent;
    }

    private async Task<JsonElement> OkAsync(string operation, string json, string target = "AmazonEC2ContainerServiceV20141113")
    {
        var (status, body) = await _host.CallAsync(operation, json, target);
        Assert.True(status == 200, $"{operation}: {status} {body}");
        return body;
    }

    private async Task<string> ErrorAsync(string operation, string json, string type, string target = Admin)
    {
        var (status, body) = await _host.CallAsync(operation, json, target);
        Assert.True(status == 400, $"{operation}: {status} {body}");
        Assert.Equal(type, body.GetProperty("__type").GetString());
        return body.GetProperty("message").GetString()!;
    }

    private Task<JsonElement> ReclaimAsync(string nodeId) => OkAsync("ReclaimNode", $$"""{"nodeId":"{{nodeId}}"}""", Admin);

    /// <summary>RunTask of one Fargate task with <paramref name="placement"/> ("launchType" or strategy JSON); its ARN, or null with the failure.</summary>
    private async Task<(string? Arn, string? Failure)> RunAsync(string placement)
    {
        var body = await OkAsync("RunTask", $$$$"""
            {"cluster":"{{{{_cluster}}}}","taskDefinition":"spot",{{{{placement}}}},"networkConfiguration":{"awsvpcConfiguration":{"subnets":["{{{{_subnet}}}}"]}}}
            """);
        var tasks = body.GetProperty("tasks");
        return tasks.GetArrayLength() == 1
            ? (tasks[0].GetProperty("taskArn").GetString(), null)
            : (null, body.GetProperty("failures")[0].GetProperty("reason").GetString());
    }

    private const string Spot = """ "capacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1}] """;
    private const string OnDemand = """ "launchType":"FARGATE" """;

    private async Task<JsonElement> TaskAsync(string arn) =>
        (await OkAsync("DescribeTasks", $$"""{"cluster":"{{_cluster}}","tasks":["{{arn}}"]}""")).GetProperty("tasks")[0];

    private async Task RunningAsync(string arn) =>
        await Eventually.TrueAsync(async () => (await TaskAsync(arn)).GetProperty("lastStatus").GetString() == "RUNNING");

    [Fact]
    public async Task Reclaim_stops_only_that_nodes_tasks_with_SpotInterruption_and_the_spot_reason()
    {
        var kept = await NodeAsync("i-spot-kept", "FARGATE_SPOT");
        var keptTask = (await RunAsync(Spot)).Arn!;
        var reclaimed = await NodeAsync("i-spot-gone", "FARGATE_SPOT");
        var interruptedTask = (await RunAsync(Spot)).Arn!;
        var onDemand = await NodeAsync("i-fargate", "FARGATE");
        var onDemandTask = (await RunAsync(OnDemand)).Arn!;
        foreach (var arn in new[] { keptTask, interruptedTask, onDemandTask })
        {
            await RunningAsync(arn);
        }
        Assert.Equal([keptTask], kept.Runs);
        Assert.Equal([interruptedTask], reclaimed.Runs);
        Assert.Equal([onDemandTask], onDemand.Runs);

        var response = await ReclaimAsync(reclaimed.Node.NodeId);

        Assert.Equal([interruptedTask], response.GetProperty("interruptedTasks").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(120, response.GetProperty("warningSeconds").GetInt32());
        Assert.Equal("i-spot-gone", response.GetProperty("instanceId").GetString());
        await Eventually.TrueAsync(async () => (await TaskAsync(interruptedTask)).GetProperty("lastStatus").GetString() == "STOPPED");
        var stopped = await TaskAsync(interruptedTask);
        Assert.Equal("SpotInterruption", stopped.GetProperty("stopCode").GetString());
        Assert.Equal(Reason, stopped.GetProperty("stoppedReason").GetString());
        Assert.Equal("STOPPED", stopped.GetProperty("desiredStatus").GetString());
        Assert.Equal("FARGATE_SPOT", stopped.GetProperty("capacityProviderName").GetString());
        // The agent was told why, so it caps each container's stop at the two-minute warning.
        Assert.Equal("SpotInterruption", reclaimed.Stops[interruptedTask].StopCode);
        Assert.Equal(Reason, reclaimed.Stops[interruptedTask].Reason);
        foreach (var arn in new[] { keptTask, onDemandTask })
        {
            var task = await TaskAsync(arn);
            Assert.Equal("RUNNING", task.GetProperty("lastStatus").GetString());
            Assert.Equal("RUNNING", task.GetProperty("desiredStatus").GetString());
        }
        Assert.Empty(kept.Stops);
        Assert.Empty(onDemand.Stops);

        var nodes = (await OkAsync("ListNodes", "{}", Admin)).GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("nodeId").GetString()!);
        Assert.Equal("RECLAIMED", nodes[reclaimed.Node.NodeId].GetProperty("status").GetString());
        Assert.True(nodes[reclaimed.Node.NodeId].TryGetProperty("reclaimedAt", out _));
        Assert.Equal("ACTIVE", nodes[kept.Node.NodeId].GetProperty("status").GetString());

        // Reclaiming again interrupts nothing new.
        Assert.Equal(0, (await ReclaimAsync(reclaimed.Node.NodeId)).GetProperty("interruptedTasks").GetArrayLength());
    }

    [Fact]
    public async Task Nothing_is_placed_on_a_reclaimed_node_even_after_its_agent_reconnects()
    {
        var spot = await NodeAsync("i-spot-only", "FARGATE_SPOT");
        Assert.Equal(0, (await ReclaimAsync(spot.Node.NodeId)).GetProperty("interruptedTasks").GetArrayLength());

        var (arn, failure) = await RunAsync(Spot);
        Assert.Null(arn);
        Assert.NotNull(failure);

        // The same node's agent comes back (a restart): still reclaimed.
        _agents.Remove(spot);
        _agents.Add(await spot.ReconnectAsync());
        Assert.Null((await RunAsync(Spot)).Arn);

        // Fresh Spot capacity takes the task.
        var fresh = await NodeAsync("i-spot-fresh", "FARGATE_SPOT");
        var placed = (await RunAsync(Spot)).Arn!;
        await Eventually.TrueAsync(() => Task.FromResult(fresh.Runs.Contains(placed)));
    }

    [Fact]
    public async Task A_services_interrupted_task_is_replaced_on_remaining_capacity()
    {
        var first = await NodeAsync("i-spot-a", "FARGATE_SPOT");
        var second = await NodeAsync("i-spot-b", "FARGATE_SPOT");
        await OkAsync("CreateService", $$$$"""
            {"cluster":"{{{{_cluster}}}}","serviceName":"web","taskDefinition":"spot","desiredCount":1,
             "capacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1},{"capacityProvider":"FARGATE","weight":1}],
             "networkConfiguration":{"awsvpcConfiguration":{"subnets":["{{{{_subnet}}}}"]}}}
            """);
        await Eventually.TrueAsync(() => Task.FromResult(first.Runs.Count + second.Runs.Count == 1));
        var (victim, survivor) = first.Runs.IsEmpty ? (second, first) : (first, second);
        var original = Assert.Single(victim.Runs);
        await RunningAsync(original);

        var onDemand = await NodeAsync("i-fargate-svc", "FARGATE");

        await ReclaimAsync(victim.Node.NodeId);

        // On whatever the strategy still has (the other Spot node or FARGATE), never on the reclaimed node.
        await Eventually.TrueAsync(() => Task.FromResult(survivor.Runs.Count + onDemand.Runs.Count == 1));
        var replacement = Assert.Single(survivor.Runs.Concat(onDemand.Runs));
        Assert.Single(victim.Runs);
        await RunningAsync(replacement);
        var old = await TaskAsync(original);
        Assert.Equal("SpotInterruption", old.GetProperty("stopCode").GetString());
        Assert.Equal(Reason, old.GetProperty("stoppedReason").GetString());
        await Eventually.TrueAsync(async () =>
        {
            var service = (await OkAsync("DescribeServices", $$"""{"cluster":"{{_cluster}}","services":["web"]}""")).GetProperty("services")[0];
            return service.GetProperty("runningCount").GetInt32() == 1 && service.GetProperty("pendingCount").GetInt32() == 0;
        });
    }

    [Fact]
    public async Task With_no_Spot_capacity_left_the_strategys_FARGATE_share_takes_the_replacement()
    {
        await OkAsync("RegisterTaskDefinition", """
            {"family":"small","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"512",
             "containerDefinitions":[{"name":"app","image":"busybox","essential":true,"command":["sleep","600"]}]}
            """);
        var spot = await NodeAsync("i-only-spot", "FARGATE_SPOT");
        var onDemand = await NodeAsync("i-on-demand-svc", "FARGATE");
        await OkAsync("CreateService", $$$$"""
            {"cluster":"{{{{_cluster}}}}","serviceName":"mixed","taskDefinition":"small","desiredCount":2,
             "capacityProviderStrategy":[{"capacityProvider":"FARGATE_SPOT","weight":1},{"capacityProvider":"FARGATE","weight":1}],
             "networkConfiguration":{"awsvpcConfiguration":{"subnets":["{{{{_subnet}}}}"]}}}
            """);
        await Eventually.TrueAsync(() => Task.FromResult(spot.Runs.Count == 1 && onDemand.Runs.Count == 1));
        var interrupted = Assert.Single(spot.Runs);
        await RunningAsync(interrupted);

        var reclaimed = await ReclaimAsync(spot.Node.NodeId);

        Assert.Equal([interrupted], reclaimed.GetProperty("interruptedTasks").EnumerateArray().Select(t => t.GetString()));
        await Eventually.TrueAsync(() => Task.FromResult(onDemand.Runs.Count == 2));
        var replacement = onDemand.Runs.Last();
        await RunningAsync(replacement);
        Assert.Equal("FARGATE", (await TaskAsync(replacement)).GetProperty("capacityProviderName").GetString());
        Assert.Single(spot.Runs);
        await Eventually.TrueAsync(async () =>
        {
            var service = (await OkAsync("DescribeServices", $$"""{"cluster":"{{_cluster}}","services":["mixed"]}""")).GetProperty("services")[0];
            return service.GetProperty("runningCount").GetInt32() == 2 && service.GetProperty("pendingCount").GetInt32() == 0;
        });
    }

    [Fact]
    public async Task Reclaim_refuses_unknown_non_spot_and_revoked_nodes_and_changes_nothing()
    {
        Assert.Equal("Node 'node-000000000000' not found.", await ErrorAsync("ReclaimNode", """{"nodeId":"node-000000000000"}""", "ResourceNotFoundException"));
        Assert.Equal("nodeId is required.", await ErrorAsync("ReclaimNode", "{}", "InvalidParameterException"));

        var onDemand = await NodeAsync("i-on-demand", "FARGATE");
        var placed = (await RunAsync(OnDemand)).Arn!;
        Assert.Contains("is not a FARGATE_SPOT pool node", await ErrorAsync("ReclaimNode", $$"""{"nodeId":"{{onDemand.Node.NodeId}}"}""", "InvalidParameterException"),
            StringComparison.Ordinal);
        var ec2 = await NodeAsync("i-ec2", null, _cluster);
        Assert.StartsWith($"nodeId: node {ec2.Node.NodeId} is not a FARGATE_SPOT pool node",
            await ErrorAsync("ReclaimNode", $$"""{"nodeId":"{{ec2.Node.NodeId}}"}""", "InvalidParameterException"), StringComparison.Ordinal);
        var spot = await NodeAsync("i-revoked", "FARGATE_SPOT");
        await OkAsync("RevokeNode", $$"""{"nodeId":"{{spot.Node.NodeId}}"}""", Admin);
        Assert.Contains("was revoked", await ErrorAsync("ReclaimNode", $$"""{"nodeId":"{{spot.Node.NodeId}}"}""", "InvalidParameterException"), StringComparison.Ordinal);

        await RunningAsync(placed);
        Assert.Equal("RUNNING", (await TaskAsync(placed)).GetProperty("desiredStatus").GetString());
        var nodes = (await OkAsync("ListNodes", "{}", Admin)).GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("nodeId").GetString()!);
        Assert.Equal("ACTIVE", nodes[onDemand.Node.NodeId].GetProperty("status").GetString());
        Assert.Equal("ACTIVE", nodes[ec2.Node.NodeId].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_spot_agent_reclaims_only_its_own_node_over_the_agent_protocol()
    {
        var spot = await NodeAsync("i-spot-self", "FARGATE_SPOT");
        var task = (await RunAsync(Spot)).Arn!;
        await RunningAsync(task);

        var answer = await spot.Node.Client.ReclaimAsync(new ReclaimRequest(), spot.Node.Headers).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, answer.TasksInterrupted);
        Assert.Equal(120, answer.WarningSeconds);
        await Eventually.TrueAsync(async () => (await TaskAsync(task)).GetProperty("lastStatus").GetString() == "STOPPED");
        Assert.Equal("SpotInterruption", (await TaskAsync(task)).GetProperty("stopCode").GetString());
        Assert.Null((await RunAsync(Spot)).Arn);

        var onDemand = await NodeAsync("i-fargate-self", "FARGATE");
        var refused = await Assert.ThrowsAsync<RpcException>(() => onDemand.Node.Client.ReclaimAsync(new ReclaimRequest(), onDemand.Node.Headers).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("is not a FARGATE_SPOT pool node", refused.Status.Detail, StringComparison.Ordinal);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => onDemand.Node.Client.ReclaimAsync(new ReclaimRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }
}
