using Gantry.Agent.Protocol;
using Gantry.Api.Tests.Agents;

namespace Gantry.Api.Tests.Services;

/// <summary>A service's counts as ECS keeps them, with a scripted agent on the real stream reporting task states.</summary>
public sealed class ServiceCountTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task RunningCount_counts_tasks_in_the_RUNNING_state_until_they_leave_it_even_when_asked_to_stop()
    {
        var cluster = $"counts-{Guid.NewGuid():N}"[..20];
        using var node = await NodeInNewClusterAsync(cluster);
        var (agent, _) = await node.RegisterAsync();
        using var stream = agent;
        await CreateServiceAsync(cluster, desiredCount: 2);
        var tasks = new List<string>();
        while (tasks.Count < 2 && await agent.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (agent.ResponseStream.Current.BodyCase == ControlMessage.BodyOneofCase.RunTask)
            {
                tasks.Add(agent.ResponseStream.Current.RunTask.TaskArn);
            }
        }
        foreach (var task in tasks)
        {
            await agent.RequestStream.WriteAsync(new AgentMessage { TaskState = new TaskState { TaskArn = task, LastStatus = "RUNNING", StartedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } });
        }
        await Eventually.TrueAsync(async () => (await ServiceAsync(cluster)).GetProperty("runningCount").GetInt32() == 2);

        // Scaled to 0: the tasks are asked to stop but still run until the agent says otherwise.
        Assert.Equal(200, (await host.CallAsync("UpdateService", $$"""{"cluster":"{{cluster}}","service":"web","desiredCount":0}""")).Status);
        var stops = 0;
        while (stops < 2 && await agent.ResponseStream.MoveNext(CancellationToken.None))
        {
            stops += agent.ResponseStream.Current.BodyCase == ControlMessage.BodyOneofCase.StopTask ? 1 : 0;
        }
        await Eventually.TrueAsync(async () => (await host.CallAsync("DescribeTasks", $$"""{"cluster":"{{cluster}}","tasks":["{{tasks[0]}}","{{tasks[1]}}"]}"""))
            .Body.GetProperty("tasks").EnumerateArray().All(t => t.GetProperty("desiredStatus").GetString() == "STOPPED"));
        // A claim that something stays needs a window: the controller recounts within a second of any change.
        var until = DateTime.UtcNow.AddSeconds(1.5);
        while (DateTime.UtcNow < until)
        {
            var stopping = await ServiceAsync(cluster);
            Assert.Equal(0, stopping.GetProperty("desiredCount").GetInt32());
            Assert.Equal(2, stopping.GetProperty("runningCount").GetInt32());
            Assert.Equal(0, stopping.GetProperty("pendingCount").GetInt32());
        }

        foreach (var task in tasks)
        {
            await agent.RequestStream.WriteAsync(new AgentMessage { TaskState = new TaskState { TaskArn = task, LastStatus = "STOPPED", StopCode = "ServiceSchedulerInitiated" } });
        }
        await Eventually.TrueAsync(async () => (await ServiceAsync(cluster)).GetProperty("runningCount").GetInt32() == 0);
        await agent.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task A_service_in_its_steady_state_is_not_rewritten_by_the_controller()
    {
        var cluster = $"steady-{Guid.NewGuid():N}"[..20];
        using var node = await NodeInNewClusterAsync(cluster);
        var (agent, _) = await node.RegisterAsync();
        using var stream = agent;
        await CreateServiceAsync(cluster, desiredCount: 1);
        while (await agent.ResponseStream.MoveNext(CancellationToken.None) && agent.ResponseStream.Current.BodyCase != ControlMessage.BodyOneofCase.RunTask)
        {
        }
        // Started long enough ago to count as healthy without a health check: the service is steady at once.
        await agent.RequestStream.WriteAsync(new AgentMessage
        {
            TaskState = new TaskState
            {
                TaskArn = agent.ResponseStream.Current.RunTask.TaskArn,
                LastStatus = "RUNNING",
                StartedAtMs = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds()
            }
        });
        await Eventually.TrueAsync(async () => (await ServiceAsync(cluster)).GetProperty("events").EnumerateArray()
            .Any(e => e.GetProperty("message").GetString()!.EndsWith("has reached a steady state.", StringComparison.Ordinal)));

        var version = (await host.Store.GetAsync("service", $"{cluster}/web", CancellationToken.None))!.Version;
        // Several rounds of the controller (at least one a second) see nothing to change.
        var until = DateTime.UtcNow.AddSeconds(2.5);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(version, (await host.Store.GetAsync("service", $"{cluster}/web", CancellationToken.None))!.Version);
            await Task.Delay(100);
        }
        await agent.RequestStream.CompleteAsync();
    }

    /// <summary>A new cluster, the task definition its service runs, and a node that joined it.</summary>
    private async Task<TestNode> NodeInNewClusterAsync(string cluster)
    {
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""")).Status);
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition",
            """{"family":"counts","containerDefinitions":[{"name":"app","image":"busybox","memory":16,"essential":true}]}""")).Status);
        return await TestNode.JoinAsync(host, cluster, $"i-{cluster}");
    }

    private async Task CreateServiceAsync(string cluster, int desiredCount) =>
        Assert.Equal(200, (await host.CallAsync("CreateService",
            $$"""{"cluster":"{{cluster}}","serviceName":"web","taskDefinition":"counts","desiredCount":{{desiredCount}}}""")).Status);

    private async Task<System.Text.Json.JsonElement> ServiceAsync(string cluster) =>
        (await host.CallAsync("DescribeServices", $$"""{"cluster":"{{cluster}}","services":["web"]}""")).Body.GetProperty("services")[0];
}
