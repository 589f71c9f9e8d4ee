using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Retention;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Json;
using Gantry.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Api.Tests.Tasks;

/// <summary>A task purged after its retention, as the API shows it: unknown to DescribeTasks, its client token free again.</summary>
public sealed class PurgedTaskTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_purged_task_is_MISSING_to_DescribeTasks_and_its_client_token_launches_anew()
    {
        var cluster = $"purge-{Guid.NewGuid():N}"[..20];
        await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""");
        var (_, registered) = await host.CallAsync("RegisterContainerInstance", $$"""
            {"cluster":"{{cluster}}","instanceIdentityDocument":"{\"instanceId\":\"i-{{Guid.NewGuid():N}}\"}",
             "totalResources":[{"name":"CPU","type":"INTEGER","integerValue":2048},{"name":"MEMORY","type":"INTEGER","integerValue":1024}]}
            """);
        var instance = registered.GetProperty("containerInstance").GetProperty("containerInstanceArn").GetString()!;
        await host.CallAsync("RegisterTaskDefinition", """{"family":"purged","containerDefinitions":[{"name":"app","image":"busybox","memory":64}]}""");
        var run = $$"""{"cluster":"{{cluster}}","taskDefinition":"purged","clientToken":"once"}""";
        var arn = (await host.CallAsync("RunTask", run)).Body.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        var documents = new Documents(host.Store, AwsJson.Options);
        Assert.Equal(ReportOutcome.Applied, await new TaskStateUpdater(documents, TimeProvider.System)
            .ApplyAsync(new TaskState { TaskArn = arn, LastStatus = "STOPPED" }, [instance], CancellationToken.None));

        var (_, kept) = await host.CallAsync("DescribeTasks", $$"""{"cluster":"{{cluster}}","tasks":["{{arn}}"]}""");
        Assert.Equal("STOPPED", kept.GetProperty("tasks")[0].GetProperty("lastStatus").GetString());

        var later = new FakeTimeProvider(DateTimeOffset.UtcNow + StoppedTaskPurger.DefaultRetention);
        Assert.True(await new StoppedTaskPurger(documents, later, NullLogger<StoppedTaskPurger>.Instance).PurgeAsync(CancellationToken.None) >= 1);

        var (status, described) = await host.CallAsync("DescribeTasks", $$"""{"cluster":"{{cluster}}","tasks":["{{arn}}"]}""");
        Assert.Equal(200, status);
        Assert.Empty(described.GetProperty("tasks").EnumerateArray());
        Assert.Equal("MISSING", described.GetProperty("failures")[0].GetProperty("reason").GetString());
        Assert.Equal(arn, described.GetProperty("failures")[0].GetProperty("arn").GetString());
        var again = (await host.CallAsync("RunTask", run)).Body.GetProperty("tasks")[0].GetProperty("taskArn").GetString();
        Assert.NotEqual(arn, again);
    }
}
