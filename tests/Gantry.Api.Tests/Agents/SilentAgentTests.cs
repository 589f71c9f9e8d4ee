using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Agents;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Api.Tests.Agents;

/// <summary>An agent whose network goes silent (no FIN): the control plane ends its stream by HTTP/2 pings.</summary>
public sealed class SilentAgentTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_stream_whose_agent_went_silent_is_ended_and_its_instance_marked_disconnected()
    {
        var cluster = $"silent-{Guid.NewGuid():N}"[..20];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""")).Status);
        using var node = await TestNode.JoinAsync(host, cluster, "i-0aaaaaaaaaaaaaaa1");
        await using var relay = new SilentRelay(host.AgentEndpoint);
        // A client that never pings on its own, so only the server can notice.
        using var channel = GrpcChannel.ForAddress(relay.Endpoint);
        using var call = new AgentControl.AgentControlClient(channel).Connect(node.Headers);
        await call.RequestStream.WriteAsync(new AgentMessage
        {
            Register = new Register { Cluster = cluster, InstanceId = node.InstanceId, CpuUnits = 1024, MemoryMib = 1024, AgentVersion = "1.0.0" },
        });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        var arn = call.ResponseStream.Current.Registered.ContainerInstanceArn;
        var sessions = host.Services.GetRequiredService<AgentSessions>();
        Assert.True(sessions.IsConnected(arn));

        relay.Cut();
        var bound = (int)(3 * AgentControlService.KeepAlive.TotalSeconds);
        await Eventually.TrueAsync(() => Task.FromResult(!sessions.IsConnected(arn)), bound);
        await Eventually.TrueAsync(async () =>
        {
            var (_, described) = await host.CallAsync("DescribeContainerInstances", $$"""{"cluster":"{{cluster}}","containerInstances":["{{arn}}"]}""");
            return !described.GetProperty("containerInstances")[0].GetProperty("agentConnected").GetBoolean();
        }, bound);
    }
}
