namespace Gantry.Simulator;

/// <summary>What `gantry simulate` runs: how many nodes, where they dial, and what each node offers.</summary>
/// <param name="AgentEndpoints">The control plane's agent (gRPC, HTTP/2) listeners, one per replica: node i dials the (i mod count)th
/// first and the next one round the list whenever its stream is lost or cannot be opened, as an agent given several servers does.</param>
/// <param name="JoinToken">A join token of <paramref name="Cluster"/>; every simulated node joins with it (a token joins many nodes).</param>
/// <param name="Cluster">The cluster the nodes register into (the token's cluster).</param>
/// <param name="Nodes">How many nodes, each its own agent stream.</param>
/// <param name="RunDelay">How long a task stays PENDING before it reports RUNNING.</param>
/// <param name="Zones">How many availability zones the nodes are spread over (<c>&lt;region&gt;a</c>, <c>b</c>, ...).</param>
/// <param name="Region">The region the zones are named after.</param>
/// <param name="CpuUnits">CPU units each node registers (1024 per vCPU).</param>
/// <param name="MemoryMib">MiB of memory each node registers.</param>
/// <param name="StreamsPerConnection">Nodes sharing one HTTP/2 connection (at most the server's concurrent stream limit, 100 on Kestrel).</param>
/// <param name="ConnectParallelism">How many nodes may be joining or registering at once (a fleet coming up, not a thundering herd).</param>
public sealed record SimulatorSettings(
    IReadOnlyList<Uri> AgentEndpoints,
    string JoinToken,
    string Cluster,
    int Nodes,
    TimeSpan RunDelay,
    int Zones = 3,
    string Region = "us-east-1",
    int CpuUnits = 4096,
    int MemoryMib = 16384,
    int StreamsPerConnection = 100,
    int ConnectParallelism = 4);
