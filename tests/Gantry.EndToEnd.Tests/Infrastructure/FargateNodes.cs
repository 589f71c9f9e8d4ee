namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>
/// `gantry server` with two Fargate pool nodes on this host, as an operator would join them: one agent for cluster
/// <see cref="Cluster"/> and the FARGATE pool (what `gantry dev`'s local agent is), one for the FARGATE_SPOT pool only
/// (a capacity join token, no cluster). Each has its own bridge (10.241/16 and 10.242/16) and state directory.
/// </summary>
public sealed class FargateNodes : IAsyncLifetime
{
    public const string Cluster = "fgt";

    /// <summary>A second cluster, whose tasks share the pool nodes with <see cref="Cluster"/>'s.</summary>
    public const string OtherCluster = "fgt-other";

    private readonly List<GantryProcess> _agents = [];

    public GantryProcess Server { get; private set; } = null!;
    public AwsCli Aws { get; private set; } = null!;

    /// <summary>A default subnet of the server's default VPC, and that VPC's default security group: what awsvpc launches name.</summary>
    public string Subnet { get; private set; } = null!;

    public string SecurityGroup { get; private set; } = null!;

    /// <summary>The state directories of the FARGATE node and the FARGATE_SPOT node.</summary>
    public IReadOnlyList<string> StateDirectories => [Path.Combine(Server.Home, "node-fargate"), Path.Combine(Server.Home, "node-spot")];

    /// <summary>The bridges of the FARGATE node and of the FARGATE_SPOT node.</summary>
    public static IReadOnlyList<string> Bridges => ["gantry241", "gantry242"];

    /// <summary>Which node (0: FARGATE, 1: FARGATE_SPOT) runs the task with this subnet address: the bridge its host route goes through.</summary>
    public static async Task<int> NodeOfAsync(string address)
    {
        var route = (await Tool.OkAsync("/usr/sbin/ip", ["-o", "route", "show", $"{address}/32"])).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.IndexOf(route, "dev");
        return index < 0 ? -1 : Bridges.ToList().IndexOf(route[index + 1]);
    }

    public async Task InitializeAsync()
    {
        Server = await GantryProcess.StartAsync("server");
        await ServerProfile.WriteAsync(Server);
        Aws = new AwsCli(Server);
        Subnet = await Aws.DefaultSubnetAsync();
        SecurityGroup = await Aws.DefaultSecurityGroupAsync();
        await Aws.OkAsync("ecs", "create-cluster", "--cluster-name", Cluster, "--capacity-providers", "FARGATE", "FARGATE_SPOT");
        await Aws.OkAsync("ecs", "create-cluster", "--cluster-name", OtherCluster, "--capacity-providers", "FARGATE", "FARGATE_SPOT");
        await SampleImage.ImportBusyboxAsync(Server);
        var fargate = (await Server.CliAsync(null, "node", "token", "create", "--cluster", Cluster, "--capacity", "fargate")).Trim();
        var spot = (await Server.CliAsync(null, "node", "token", "create", "--capacity", "fargate-spot")).Trim();
        _agents.Add(await Server.StartPoolAgentAsync(null, StateDirectories[0], "--join-token", fargate, "--bridge-address", "10.241.0.1",
            "--availability-zone", "us-east-1a"));
        _agents.Add(await Server.StartPoolAgentAsync(null, StateDirectories[1], "--join-token", spot, "--bridge-address", "10.242.0.1",
            "--availability-zone", "us-east-1b"));
        await Eventually.TrueAsync(async () =>
        {
            var nodes = await Server.CliAsync(null, "node", "ls");
            return nodes.Split('\n').Count(l => l.Contains("FARGATE", StringComparison.Ordinal) && l.Contains("yes", StringComparison.Ordinal)) == 2;
        }, 60);
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
        foreach (var bridge in new[] { "gantry241", "gantry242" })
        {
            await Tool.RunAsync("/usr/sbin/ip", ["link", "delete", bridge]);
        }
        await Server.DisposeAsync();
        Directory.Delete(Server.Home, recursive: true);
    }
}
