using Gantry.Agent.Protocol;
using Gantry.Api.Tests.Agents;
using Grpc.Core;

namespace Gantry.Api.Tests.Logs;

/// <summary>The agents' log shipping holds events to CloudWatch's ranges before they reach the store.</summary>
public sealed class LogShippingTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_negative_timestamp_is_InvalidArgument_and_stores_nothing()
    {
        var cluster = $"ship-{Guid.NewGuid():N}"[..20];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""")).Status);
        Assert.Equal(200, (await host.CallAsync("RegisterTaskDefinition", ImpersonationTests.Definition)).Status);
        using var node = await TestNode.JoinAsync(host, cluster, "i-0123456789abcdef0");
        var (call, instanceArn) = await node.RegisterAsync();
        using var stream = call;
        var (status, started) = await host.CallAsync("StartTask", $$"""{"cluster":"{{cluster}}","taskDefinition":"victim","containerInstances":["{{instanceArn}}"]}""");
        Assert.Equal(200, status);
        var run = await ImpersonationTests.NextRunTaskAsync(call);
        var logStream = ImpersonationTests.StreamOf(run.TaskArn);
        await node.Client.OpenLogStreamAsync(logStream, node.Headers);
        var batch = new LogBatch { Stream = logStream };
        batch.Events.Add(new LogEvent { TimestampMs = -1, Message = "before the epoch", Position = 1 });

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Client.ShipLogsAsync(batch, node.Headers).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var page = await host.LogStore.GetStreamEventsAsync(logStream.Group, logStream.Stream, null, null, true, null, 10, timeout.Token);
        Assert.Empty(page.Events);
    }
}
