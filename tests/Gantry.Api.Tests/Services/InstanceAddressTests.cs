using Gantry.Api.Tests.Agents;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Json;
using Gantry.Store;

namespace Gantry.Api.Tests.Services;

/// <summary>A node's address for instance targets, recorded when its agent registers on the real stream.</summary>
public sealed class InstanceAddressTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_node_publishing_on_every_address_is_reached_where_its_agent_connects_from()
    {
        var cluster = $"addr-{Guid.NewGuid():N}"[..20];
        Assert.Equal(200, (await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{cluster}}"}""")).Status);
        using var node = await TestNode.JoinAsync(host, cluster, $"i-{cluster}");
        var (call, _) = await node.RegisterAsync();
        using var stream = call;

        var documents = new Documents(host.Store, AwsJson.Options);
        var address = await documents.GetAsync<InstanceAddressRecord>(ElbKinds.InstanceAddress, node.InstanceId, CancellationToken.None);
        Assert.NotNull(address);
        Assert.Equal(("127.0.0.1", node.InstanceId), (address.Value.Address, address.Value.InstanceId));
        await call.RequestStream.CompleteAsync();
    }
}
