namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test cluster of three nodes, each in its own network namespace, and `gantry server` in a fourth; a bridge in
/// the server's namespace connects them (10.250.0.0/24). Every address lives in namespaces this fixture creates
/// and deletes. The nodes run real `gantry agent` processes in availability zones az-1..az-3.
/// </summary>
public sealed class NamespaceCluster : IAsyncLifetime
{
    public const string Cluster = "netns";
    private const string Ip = "/usr/sbin/ip";
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..4];
    private readonly List<GantryProcess> _agents = [];
    private readonly Dictionary<int, GantryProcess> _current = [];

    public string ServerNamespace => $"gt-cp-{_suffix}";
    public IReadOnlyList<string> NodeNamespaces => [.. Enumerable.Range(1, 4).Select(i => $"gt-n{i}-{_suffix}")];
    public GantryProcess Server { get; private set; } = null!;
    public AwsCli Aws { get; private set; } = null!;
    public IReadOnlyList<string> StateDirectories => [.. Enumerable.Range(1, 4).Select(i => Path.Combine(Server.Home, $"node-{i}"))];

    /// <summary>The agent process of node <paramref name="index"/> (0-based) started last.</summary>
    public GantryProcess AgentOf(int index) => _current[index];

    /// <summary>Starts (or restarts) the agent of node <paramref name="index"/> (0-based).</summary>
    public async Task<GantryProcess> StartAgentAsync(int index)
    {
        var agent = await Server.StartAgentInAsync(NodeNamespaces[index], Cluster, StateDirectories[index], "--availability-zone", $"az-{index + 1}");
        _agents.Add(agent);
        _current[index] = agent;
        return agent;
    }

    /// <summary>
    /// Cuts (or restores) node <paramref name="index"/>'s (0-based) link to the bridge by setting the bridge side of its veth
    /// down: the node keeps its address and routes and its packets go nowhere, as in a partition (no FIN, no reset), while
    /// its agent and containers keep running.
    /// </summary>
    public Task SetLinkAsync(int index, bool up) => RunAsync("-n", ServerNamespace, "link", "set", BridgePort(index), up ? "up" : "down");

    private string BridgePort(int index) => $"gtp{index}{_suffix}";

    public async Task InitializeAsync()
    {
        await NetworkAsync();
        var home = Directory.CreateTempSubdirectory("gantry-netns-").FullName;
        Server = await GantryProcess.StartAsync("server", home, Path.Combine(home, ".gantry"),
            arguments: ["--listen", "10.250.0.1:4566", "--agent-listen", "10.250.0.1:4567", "--data-dir", Path.Combine(home, ".gantry"), "--node-lost-after", "5",
                "--write-root-credentials"],
            networkNamespace: ServerNamespace);
        await ServerProfile.WriteAsync(Server);
        Aws = new AwsCli(Server, ServerNamespace);
        await Aws.OkAsync("ecs", "create-cluster", "--cluster-name", Cluster);
        await SampleImage.ImportBusyboxAsync(Server, ServerNamespace);
        for (var i = 0; i < 3; i++)
        {
            await StartAgentAsync(i);
        }
        await Eventually.TrueAsync(async () => (await Aws.OkAsync("ecs", "list-container-instances", "--cluster", Cluster))
            .GetProperty("containerInstanceArns").GetArrayLength() == 3, 60);
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }
        foreach (var state in StateDirectories)
        {
            await NodeCleanup.RemoveContainersAsync(state);
        }
        await Server.DisposeAsync();
        // Only this fixture's namespaces: another cluster fixture may be running in parallel. (Task namespaces of
        // containers still running went with NodeCleanup.)
        foreach (var ns in (await NamespacesAsync()).Where(n => n.EndsWith($"-{_suffix}", StringComparison.Ordinal)))
        {
            await Tool.RunAsync(Ip, ["netns", "delete", ns]);
        }
        Directory.Delete(Server.Home, recursive: true);
    }

    private async Task NetworkAsync()
    {
        var cp = ServerNamespace;
        await RunAsync("netns", "add", cp);
        await RunAsync("-n", cp, "link", "set", "lo", "up");
        await RunAsync("-n", cp, "link", "add", "br0", "type", "bridge");
        await RunAsync("-n", cp, "addr", "add", "10.250.0.1/24", "dev", "br0");
        await RunAsync("-n", cp, "link", "set", "br0", "up");
        for (var i = 0; i < NodeNamespaces.Count; i++)
        {
            var node = NodeNamespaces[i];
            var (inside, outside) = ($"gtv{i}{_suffix}", BridgePort(i));
            await RunAsync("netns", "add", node);
            await RunAsync("-n", node, "link", "set", "lo", "up");
            await RunAsync("link", "add", inside, "type", "veth", "peer", "name", outside);
            await RunAsync("link", "set", inside, "netns", node);
            await RunAsync("link", "set", outside, "netns", cp);
            await RunAsync("-n", cp, "link", "set", outside, "master", "br0", "up");
            await RunAsync("-n", node, "link", "set", inside, "name", "eth0");
            await RunAsync("-n", node, "addr", "add", $"10.250.0.{11 + i}/24", "dev", "eth0");
            await RunAsync("-n", node, "link", "set", "eth0", "up");
        }
    }

    private static async Task<IReadOnlySet<string>> NamespacesAsync() =>
        (await Tool.RunAsync(Ip, ["netns", "list"])).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0]).ToHashSet();

    private static Task<string> RunAsync(params string[] args) => Tool.OkAsync(Ip, args);
}
