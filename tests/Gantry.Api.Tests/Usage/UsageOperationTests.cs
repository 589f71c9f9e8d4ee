using System.Globalization;
using System.Text.Json;
using Gantry.Agent.Protocol;
using Gantry.Api.Tests.Agents;

namespace Gantry.Api.Tests.Usage;

/// <summary>GetUsage over the front door, with a scripted agent on the real stream reporting a task's pull, run and stop.</summary>
public sealed class UsageOperationTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Usage = "GantryUsage_20261206";

    private static string Seconds(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);

    private async Task<JsonElement> UsageAsync(string body)
    {
        var (status, usage) = await host.CallAsync("GetUsage", body, target: Usage);
        Assert.True(status == 200, usage.ToString());
        return usage;
    }

    private static JsonElement Row(JsonElement usage, string cluster) =>
        Assert.Single(usage.GetProperty("groups").EnumerateArray(), g => g.GetProperty("cluster").GetString() == cluster);

    [Fact]
    public async Task A_task_that_ran_five_minutes_shows_its_vCPU_and_GB_seconds_per_family_and_a_window_counts_its_part()
    {
        var cluster = $"usage-{Guid.NewGuid():N}"[..20];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""")).Status);
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition",
            """{"family":"metered","containerDefinitions":[{"name":"app","image":"busybox","cpu":512,"memory":256},{"name":"side","image":"busybox","memoryReservation":256}]}""")).Status);
        using var node = await TestNode.JoinAsync(host, cluster, $"i-{cluster}");
        var (agent, _) = await node.RegisterAsync();
        using var stream = agent;
        var (_, run) = await host.CallAsync("RunTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"metered"}""");
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        while (await agent.ResponseStream.MoveNext(CancellationToken.None) && agent.ResponseStream.Current.BodyCase != ControlMessage.BodyOneofCase.RunTask)
        {
        }

        var pulled = DateTimeOffset.UtcNow.AddMinutes(-10);
        await agent.RequestStream.WriteAsync(new AgentMessage
        {
            TaskState = new TaskState { TaskArn = arn, LastStatus = "RUNNING", PullStartedAtMs = pulled.ToUnixTimeMilliseconds(), StartedAtMs = pulled.AddSeconds(1).ToUnixTimeMilliseconds() },
        });
        // Running: it counts up to now, at least ten minutes of 0.5 vCPU.
        await Eventually.TrueAsync(async () => (await UsageAsync("""{"groupBy":"FAMILY"}""")).GetProperty("groups").EnumerateArray()
            .Any(g => g.GetProperty("cluster").GetString() == cluster && g.GetProperty("runningTasks").GetInt32() == 1));
        Assert.True(Row(await UsageAsync("{}"), cluster).GetProperty("vcpuSeconds").GetDouble() >= 600 * 0.5);

        await agent.RequestStream.WriteAsync(new AgentMessage
        {
            TaskState = new TaskState { TaskArn = arn, LastStatus = "STOPPED", ExecutionStoppedAtMs = pulled.AddSeconds(299.2).ToUnixTimeMilliseconds() },
        });
        await Eventually.TrueAsync(async () => Row(await UsageAsync("{}"), cluster).GetProperty("runningTasks").GetInt32() == 0);

        var family = Row(await UsageAsync("""{"groupBy":"FAMILY"}"""), cluster);
        Assert.Equal("metered", family.GetProperty("family").GetString());
        Assert.Equal("EC2", family.GetProperty("launchType").GetString());
        Assert.Equal(1, family.GetProperty("tasks").GetInt32());
        Assert.Equal(300 * 0.5, family.GetProperty("vcpuSeconds").GetDouble(), 3); // 299.2 s billed as 300, 512 cpu units
        Assert.Equal(300 * 0.5, family.GetProperty("gbSeconds").GetDouble(), 3);   // memory 256 + memoryReservation 256 MiB
        var service = Row(await UsageAsync("""{"groupBy":"SERVICE"}"""), cluster);
        Assert.False(service.TryGetProperty("service", out _)); // a standalone task

        var window = Row(await UsageAsync($$"""{"since":{{Seconds(pulled.AddSeconds(200))}},"until":{{Seconds(pulled.AddSeconds(250))}},"groupBy":"FAMILY"}"""), cluster);
        Assert.Equal(50 * 0.5, window.GetProperty("vcpuSeconds").GetDouble(), 3);
        var after = await UsageAsync($$"""{"since":{{Seconds(pulled.AddSeconds(300))}}}""");
        Assert.DoesNotContain(after.GetProperty("groups").EnumerateArray(), g => g.GetProperty("cluster").GetString() == cluster);
        await agent.RequestStream.CompleteAsync();
    }

    [Theory]
    [InlineData("""{"groupBy":"TASK"}""", "groupBy 'TASK' is not valid: use one of CLUSTER, SERVICE, FAMILY.")]
    [InlineData("""{"since":1800000000,"until":1700000000}""", "since must be earlier than until.")]
    public async Task Invalid_requests_are_InvalidParameterException_naming_the_field(string body, string message)
    {
        var (status, error) = await host.CallAsync("GetUsage", body, target: Usage);
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", error.GetProperty("__type").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
    }
}
