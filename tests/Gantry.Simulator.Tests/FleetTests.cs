using System.Text.Json;
using Gantry.Api.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Simulator.Tests;

/// <summary>A simulated fleet against the real control plane in-process: registration, RunTask to RUNNING, StopTask to STOPPED.</summary>
public sealed class FleetTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string NodeAdmin = "GantryNodes_20261205";

    private async Task<string> ClusterAsync()
    {
        var name = $"sim-{Guid.NewGuid():N}"[..16];
        var (status, _) = await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{name}}"}""");
        Assert.Equal(200, status);
        return name;
    }

    private async Task<string> TokenAsync(string cluster)
    {
        var (status, created) = await host.CallAsync("CreateJoinToken", $$"""{"cluster":"{{cluster}}"}""", target: NodeAdmin);
        Assert.Equal(200, status);
        return created.GetProperty("joinToken").GetString()!;
    }

    private async Task<JsonElement> OkAsync(string operation, string json)
    {
        var (status, body) = await host.CallAsync(operation, json);
        Assert.True(status == 200, $"{operation}: {status} {body}");
        return body;
    }

    private async Task<IReadOnlyList<JsonElement>> TasksAsync(string cluster, IEnumerable<string> arns) =>
        [.. (await OkAsync("DescribeTasks", JsonSerializer.Serialize(new { cluster, tasks = arns }))).GetProperty("tasks").EnumerateArray()];

    [Fact]
    public async Task Twenty_simulated_nodes_register_run_ten_tasks_and_stop_one()
    {
        var cluster = await ClusterAsync();
        var settings = new SimulatorSettings([host.AgentEndpoint], await TokenAsync(cluster), cluster, 20, TimeSpan.FromMilliseconds(200),
            Zones: 3, CpuUnits: 2048, MemoryMib: 8192, StreamsPerConnection: 8, ConnectParallelism: 4);
        var fleet = new Fleet(settings, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var running = fleet.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => Task.FromResult(fleet.Status.Connected == 20), 60);
        var listed = await OkAsync("ListContainerInstances", $$"""{"cluster":"{{cluster}}"}""");
        var instanceArns = listed.GetProperty("containerInstanceArns").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Equal(20, instanceArns.Count);
        var instances = (await OkAsync("DescribeContainerInstances", JsonSerializer.Serialize(new { cluster, containerInstances = instanceArns })))
            .GetProperty("containerInstances").EnumerateArray().ToList();
        Assert.All(instances, i => Assert.True(i.GetProperty("agentConnected").GetBoolean()));
        Assert.All(instances, i => Assert.Equal(2048, i.GetProperty("registeredResources").EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == "CPU").GetProperty("integerValue").GetInt32()));
        string Attribute(JsonElement instance, string name) =>
            instance.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("name").GetString() == name).TryGetProperty("value", out var v) ? v.GetString()! : "";
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c"], instances.Select(i => Attribute(i, "ecs.availability-zone")).Distinct().Order());
        Assert.All(instances, i => Assert.Equal("m5.large", Attribute(i, "ecs.instance-type")));

        await OkAsync("RegisterTaskDefinition", """{"family":"sim","containerDefinitions":[{"name":"app","image":"busybox","memory":64,"cpu":10},{"name":"side","image":"busybox","memory":32}]}""");
        var run = await OkAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"sim","count":10}""");
        Assert.Empty(run.GetProperty("failures").EnumerateArray());
        var taskArns = run.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskArn").GetString()!).ToList();
        Assert.Equal(10, taskArns.Count);
        await Eventually.TrueAsync(async () => (await TasksAsync(cluster, taskArns)).All(t => t.GetProperty("lastStatus").GetString() == "RUNNING"), 60);
        var tasks = await TasksAsync(cluster, taskArns);
        Assert.All(tasks, t => Assert.All(t.GetProperty("containers").EnumerateArray(), c => Assert.Equal("RUNNING", c.GetProperty("lastStatus").GetString())));
        Assert.All(tasks, t => Assert.True(t.TryGetProperty("startedAt", out _)));
        Assert.Equal(10, fleet.Status.RunningTasks);

        await OkAsync("StopTask", $$"""{"cluster":"{{cluster}}","task":"{{taskArns[0]}}","reason":"the test is done with it"}""");
        await Eventually.TrueAsync(async () => (await TasksAsync(cluster, [taskArns[0]]))[0].GetProperty("lastStatus").GetString() == "STOPPED", 60);
        var stopped = (await TasksAsync(cluster, [taskArns[0]]))[0];
        Assert.Equal("the test is done with it", stopped.GetProperty("stoppedReason").GetString());
        Assert.Equal("UserInitiated", stopped.GetProperty("stopCode").GetString());
        Assert.All(stopped.GetProperty("containers").EnumerateArray(), c => Assert.Equal(0, c.GetProperty("exitCode").GetInt32()));
        var described = (await OkAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"]}""")).GetProperty("clusters")[0];
        Assert.Equal(9, described.GetProperty("runningTasksCount").GetInt32());
        Assert.Equal(20, described.GetProperty("registeredContainerInstancesCount").GetInt32());

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, fleet.Status.Connected);
    }

    [Fact]
    public async Task Nodes_given_a_replica_that_does_not_answer_fail_over_to_the_next_one()
    {
        var cluster = await ClusterAsync();
        // Port 1 on loopback refuses: the nodes that start on it (every other one) must register through the live replica.
        var settings = new SimulatorSettings([new Uri("http://127.0.0.1:1"), host.AgentEndpoint], await TokenAsync(cluster), cluster, 6, TimeSpan.Zero);
        var fleet = new Fleet(settings, TimeProvider.System, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var running = fleet.RunAsync(stop.Token);

        await Eventually.TrueAsync(() => Task.FromResult(fleet.Status.Connected == 6), 30);
        var listed = await OkAsync("ListContainerInstances", $$"""{"cluster":"{{cluster}}"}""");
        Assert.Equal(6, listed.GetProperty("containerInstanceArns").GetArrayLength());
        Assert.True(fleet.Status.Reconnects >= 3, $"{fleet.Status.Reconnects} streams failed");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_token_of_another_cluster_stops_the_fleet_with_the_reason()
    {
        var cluster = await ClusterAsync();
        var other = await ClusterAsync();
        var fleet = new Fleet(new SimulatorSettings([host.AgentEndpoint], await TokenAsync(other), cluster, 3, TimeSpan.Zero), TimeProvider.System, NullLoggerFactory.Instance);
        var refused = await Assert.ThrowsAsync<JoinRefusedException>(() => fleet.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"for cluster '{other}', not '{cluster}'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_join_token_that_is_not_valid_stops_the_fleet_with_the_control_planes_reason()
    {
        var cluster = await ClusterAsync();
        var fleet = new Fleet(new SimulatorSettings([host.AgentEndpoint], "gntj_000000000000.nope", cluster, 3, TimeSpan.Zero), TimeProvider.System, NullLoggerFactory.Instance);
        var refused = await Assert.ThrowsAsync<JoinRefusedException>(() => fleet.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("the join token is not valid", refused.Message, StringComparison.Ordinal);
    }
}
