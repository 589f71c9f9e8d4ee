using Gantry.Agent.Protocol;
using Gantry.Domain.TaskDefinitions;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gantry.Api.Tests.Agents;

/// <summary>A scripted node: joined to the test host's control plane with a join token from the node admin API.</summary>
public sealed class TestNode : IDisposable
{
    public const string Admin = "GantryNodes_20261205";
    private readonly GrpcChannel _channel;

    private TestNode(GrpcChannel channel, JoinResponse joined, string instanceId)
    {
        _channel = channel;
        NodeId = joined.NodeId;
        Secret = joined.NodeSecret;
        Cluster = joined.Cluster;
        Capacity = joined.Capacity;
        InstanceId = instanceId;
        Client = new AgentControl.AgentControlClient(channel);
    }

    public string NodeId { get; }
    public string Secret { get; }
    public string Cluster { get; }

    /// <summary>The Fargate pool the node serves (FARGATE, FARGATE_SPOT, or "").</summary>
    public string Capacity { get; }
    public string InstanceId { get; }
    public AgentControl.AgentControlClient Client { get; }

    public Metadata Headers => new() { { "authorization", $"GantryNode {NodeId}.{Secret}" } };

    /// <summary>Creates a join token for <paramref name="cluster"/> (and the Fargate pool <paramref name="capacity"/>) through the
    /// admin API; returns the token string.</summary>
    public static async Task<string> TokenAsync(ApiTestHost host, string cluster, long? ttlSeconds = null, string? capacity = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var ttl = ttlSeconds is { } seconds ? $",\"ttlSeconds\":{seconds}" : "";
        var pool = capacity is null ? "" : $",\"capacity\":\"{capacity}\"";
        var (status, created) = await host.CallAsync("CreateJoinToken", $$"""{"cluster":"{{cluster}}"{{ttl}}{{pool}}}""", target: Admin);
        Assert.Equal(200, status);
        return created.GetProperty("joinToken").GetString()!;
    }

    /// <param name="capacity">The Fargate pool the node joins too (FARGATE or FARGATE_SPOT); with cluster "" only that pool.</param>
    public static async Task<TestNode> JoinAsync(ApiTestHost host, string cluster, string instanceId, string? capacity = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var token = await TokenAsync(host, cluster, capacity: capacity);
        var channel = GrpcChannel.ForAddress(host.AgentEndpoint);
        var joined = await new AgentControl.AgentControlClient(channel).JoinAsync(new JoinRequest { JoinToken = token, InstanceId = instanceId })
            .ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30));
        return new TestNode(channel, joined, instanceId);
    }

    public AsyncDuplexStreamingCall<AgentMessage, ControlMessage> Connect() => Client.Connect(Headers);

    /// <summary>Connects and registers as this node's own instance; returns the call and the container instance ARN.</summary>
    public async Task<(AsyncDuplexStreamingCall<AgentMessage, ControlMessage> Call, string Arn)> RegisterAsync(params TaskState[] tasks)
    {
        var call = Connect();
        var register = new Register
        {
            Cluster = Cluster,
            Capacity = Capacity,
            InstanceId = InstanceId,
            CpuUnits = 2048,
            MemoryMib = 2048,
            AgentVersion = "1.0.0",
        };
        // What every Gantry agent advertises.
        register.Attributes.AddRange(AgentCapabilities.All.Select(name => new Gantry.Agent.Protocol.Attribute { Name = name, Value = "" }));
        register.Tasks.AddRange(tasks);
        await call.RequestStream.WriteAsync(new AgentMessage { Register = register });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        return (call, call.ResponseStream.Current.Registered.ContainerInstanceArn);
    }

    public void Dispose() => _channel.Dispose();
}
