namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>
/// `gantry server` with a cluster and `gantry agent` processes on this host sharing one state directory (so an
/// agent can be killed and another started in its place); disposing removes what the agents left running.
/// </summary>
public sealed class SingleNode : IAsyncDisposable
{
    private readonly List<GantryProcess> _agents = [];
    private readonly string _bridgeAddress;

    private SingleNode(GantryProcess server, string cluster, int bridgeOctet)
    {
        Server = server;
        Cluster = cluster;
        Aws = new AwsCli(server);
        StateDirectory = Path.Combine(server.Home, "agent-state");
        _bridgeAddress = $"10.{bridgeOctet}.0.1";
        BridgeName = $"gantry{bridgeOctet}";
    }

    public GantryProcess Server { get; }
    public AwsCli Aws { get; }
    public string Cluster { get; }
    public string StateDirectory { get; }
    public string BridgeName { get; }

    /// <summary>The agent started last.</summary>
    public GantryProcess Agent => _agents[^1];

    /// <param name="bridgeOctet">The second octet of the node bridge's subnet, distinct per test class.</param>
    /// <param name="serverArguments">Options for `gantry server` besides its listen address and data directory.</param>
    public static async Task<SingleNode> StartAsync(string cluster, int bridgeOctet, params string[] serverArguments)
    {
        var node = new SingleNode(await GantryProcess.StartAsync("server", extraArguments: serverArguments), cluster, bridgeOctet);
        await ServerProfile.WriteAsync(node.Server);
        await node.Aws.OkAsync("ecs", "create-cluster", "--cluster-name", cluster);
        return node;
    }

    /// <summary>Starts (or, after a kill, restarts) the node's agent, with <paramref name="extra"/> arguments.</summary>
    public async Task<GantryProcess> StartAgentAsync(params string[] extra)
    {
        var agent = await Server.StartAgentAsync(Cluster, StateDirectory, ["--bridge-address", _bridgeAddress, .. extra]);
        _agents.Add(agent);
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        await NodeCleanup.RemoveContainersAsync(StateDirectory);
        await Tool.RunAsync("/usr/sbin/ip", ["link", "delete", BridgeName]);
        await Server.DisposeAsync();
    }
}
