using Gantry.Agent.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gantry.Api.Tests.Agents;

/// <summary>The agent stream over real HTTP/2: authentication, registration, connection state, container instance APIs.</summary>
public sealed class AgentStreamTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Ecs = "AmazonEC2ContainerServiceV20141113";

    private async Task<string> ClusterAsync()
    {
        var name = $"agents-{Guid.NewGuid():N}"[..20];
        var (status, _) = await host.CallAsync("CreateCluster", $$"""{"clusterName":"{{name}}"}""");
        Assert.Equal(200, status);
        return name;
    }


    private static Register Registration(string cluster, string instanceId) => new()
    {
        Cluster = cluster,
        InstanceId = instanceId,
        CpuUnits = 2048,
        MemoryMib = 3800,
        ReservedPorts = { 22, 2375 },
        Attributes = { new Gantry.Agent.Protocol.Attribute { Name = "ecs.os-type", Value = "linux" }, new Gantry.Agent.Protocol.Attribute { Name = "ecs.availability-zone", Value = "az-1" } },
        AgentVersion = "1.0.0",
    };

    [Fact]
    public async Task An_agent_registers_over_the_stream_and_shows_as_a_connected_container_instance()
    {
        var cluster = await ClusterAsync();
        using var node = await TestNode.JoinAsync(host, cluster, "i-0123456789abcdef0");
        using var call = node.Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Register = Registration(cluster, "i-0123456789abcdef0") });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var arn = call.ResponseStream.Current.Registered.ContainerInstanceArn;
        Assert.StartsWith($"arn:aws:ecs:us-east-1:000000000000:container-instance/{cluster}/", arn, StringComparison.Ordinal);

        var (_, described) = await host.CallAsync("DescribeContainerInstances", $$"""{"cluster":"{{cluster}}","containerInstances":["{{arn}}"]}""");
        var instance = described.GetProperty("containerInstances")[0];
        Assert.True(instance.GetProperty("agentConnected").GetBoolean());
        Assert.Equal("ACTIVE", instance.GetProperty("status").GetString());
        Assert.Equal("i-0123456789abcdef0", instance.GetProperty("ec2InstanceId").GetString());
        var cpu = instance.GetProperty("registeredResources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "CPU");
        Assert.Equal(2048, cpu.GetProperty("integerValue").GetInt32());
        var (_, clusters) = await host.CallAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"]}""");
        Assert.Equal(1, clusters.GetProperty("clusters")[0].GetProperty("registeredContainerInstancesCount").GetInt32());

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        await Eventually.TrueAsync(async () =>
        {
            var (_, after) = await host.CallAsync("DescribeContainerInstances", $$"""{"cluster":"{{cluster}}","containerInstances":["{{arn}}"]}""");
            return !after.GetProperty("containerInstances")[0].GetProperty("agentConnected").GetBoolean();
        });
    }

    [Fact]
    public async Task Reconnecting_with_the_same_instance_id_keeps_the_container_instance()
    {
        var cluster = await ClusterAsync();
        using var node = await TestNode.JoinAsync(host, cluster, "i-same");
        var arns = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var call = node.Connect();
            await call.RequestStream.WriteAsync(new AgentMessage { Register = Registration(cluster, "i-same") });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            arns.Add(call.ResponseStream.Current.Registered.ContainerInstanceArn);
            await call.RequestStream.CompleteAsync();
        }
        Assert.Equal(arns[0], arns[1]);
        var (_, listed) = await host.CallAsync("ListContainerInstances", $$"""{"cluster":"{{cluster}}"}""");
        Assert.Single(listed.GetProperty("containerInstanceArns").EnumerateArray());
    }

    [Fact]
    public async Task A_stream_without_valid_node_credentials_is_refused()
    {
        using var channel = GrpcChannel.ForAddress(host.AgentEndpoint);
        using var call = new AgentControl.AgentControlClient(channel).Connect(new Metadata { { "authorization", "GantryNode node-000000000000.forged" } });
        try
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Register = Registration("default", "i-x") });
        }
        catch (RpcException)
        {
            // The server may have refused the call before the write: the write then fails Cancelled; the status is read below.
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Registering_into_a_cluster_deleted_since_joining_is_refused_with_the_reason()
    {
        var cluster = await ClusterAsync();
        using var node = await TestNode.JoinAsync(host, cluster, "i-y");
        Assert.Equal(200, (await host.CallAsync("DeleteCluster", $$"""{"cluster":"{{cluster}}"}""")).Status);
        using var call = node.Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Register = Registration(cluster, "i-y") });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("ClusterNotFoundException", call.ResponseStream.Current.Refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draining_attributes_filters_and_deregistration_work_on_a_registered_instance()
    {
        var cluster = await ClusterAsync();
        using var node = await TestNode.JoinAsync(host, cluster, "i-attrs");
        using var call = node.Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Register = Registration(cluster, "i-attrs") });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var arn = call.ResponseStream.Current.Registered.ContainerInstanceArn;

        var (put, _) = await host.CallAsync("PutAttributes", $$"""{"cluster":"{{cluster}}","attributes":[{"name":"stack","value":"prod","targetId":"{{arn}}"}]}""");
        Assert.Equal(200, put);
        var (_, byAttribute) = await host.CallAsync("ListAttributes", $$"""{"cluster":"{{cluster}}","targetType":"container-instance","attributeName":"stack"}""");
        Assert.Equal("prod", byAttribute.GetProperty("attributes")[0].GetProperty("value").GetString());
        var (_, filtered) = await host.CallAsync("ListContainerInstances", $$"""{"cluster":"{{cluster}}","filter":"attribute:stack == prod"}""");
        Assert.Equal(arn, filtered.GetProperty("containerInstanceArns")[0].GetString());
        var (_, none) = await host.CallAsync("ListContainerInstances", $$"""{"cluster":"{{cluster}}","filter":"attribute:stack == dev"}""");
        Assert.Empty(none.GetProperty("containerInstanceArns").EnumerateArray());
        var (bad, badBody) = await host.CallAsync("PutAttributes", $$"""{"cluster":"{{cluster}}","attributes":[{"name":"bad name!","value":"x","targetId":"{{arn}}"}]}""");
        Assert.Equal(400, bad);
        Assert.Equal("InvalidParameterException", badBody.GetProperty("__type").GetString());

        var (_, drained) = await host.CallAsync("UpdateContainerInstancesState", $$"""{"cluster":"{{cluster}}","containerInstances":["{{arn}}"],"status":"DRAINING"}""");
        Assert.Equal("DRAINING", drained.GetProperty("containerInstances")[0].GetProperty("status").GetString());
        var (_, draining) = await host.CallAsync("ListContainerInstances", $$"""{"cluster":"{{cluster}}","status":"DRAINING"}""");
        Assert.Single(draining.GetProperty("containerInstanceArns").EnumerateArray());

        var (_, deregistered) = await host.CallAsync("DeregisterContainerInstance", $$"""{"cluster":"{{cluster}}","containerInstance":"{{arn}}"}""");
        Assert.Equal("INACTIVE", deregistered.GetProperty("containerInstance").GetProperty("status").GetString());
        var (_, clusters) = await host.CallAsync("DescribeClusters", $$"""{"clusters":["{{cluster}}"]}""");
        Assert.Equal(0, clusters.GetProperty("clusters")[0].GetProperty("registeredContainerInstancesCount").GetInt32());
        var (_, missing) = await host.CallAsync("DescribeContainerInstances", $$"""{"cluster":"{{cluster}}","containerInstances":["nope"]}""");
        Assert.Equal("MISSING", missing.GetProperty("failures")[0].GetProperty("reason").GetString());
        await call.RequestStream.CompleteAsync();
    }
}
