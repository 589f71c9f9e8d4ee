namespace Gantry.Agent.Connection;

/// <summary>How an agent reaches its control plane and what it offers.</summary>
/// <param name="ApiEndpoint">The control plane's AWS API endpoint (its registry is there too).</param>
/// <param name="AgentEndpoint">The control plane's gRPC listener.</param>
/// <param name="Cluster">The cluster the node is expected to be in (null: the one its join token names).</param>
/// <param name="JoinToken">The operator's join token, used once when the state directory holds no node credentials.</param>
/// <param name="StateDirectory">Where the agent keeps images, containers, task state and its node credentials.</param>
/// <param name="MemoryReserveMib">Memory kept back for the node itself, not offered to tasks.</param>
/// <param name="Bridge">The node bridge address (default 10.213.0.1/16).</param>
/// <param name="Capacity">The Fargate pool the node is expected to serve, FARGATE or FARGATE_SPOT (null: whatever its join token names).</param>
/// <param name="ImageCacheMaxBytes">When unpacked images take more than this, unused ones are removed (least recently used first).</param>
/// <param name="Metadata">The task metadata endpoint's address, put on the node bridge (default: <see cref="MetadataAddress"/>).</param>
/// <param name="DnsServer">
/// The control plane's DNS server (Cloud Map namespaces, forwarding the rest): the agent relays its tasks' queries there from the
/// node bridge's address, which their resolv.conf names. Null: no relay, tasks use the node's own resolvers.
/// </param>
/// <param name="Publish">Where published ports listen (bridge host ports, awsvpc public IPs); default ECS's 0.0.0.0 (<see cref="PublishAddress"/>).</param>
public sealed record AgentSettings(
    Uri ApiEndpoint,
    Uri AgentEndpoint,
    string? Cluster,
    string? JoinToken,
    string StateDirectory,
    string? AvailabilityZone,
    int MemoryReserveMib,
    IReadOnlyList<KeyValuePair<string, string>> CustomAttributes,
    long ImageCacheMaxBytes = 10L * 1024 * 1024 * 1024,
    System.Net.IPAddress? Bridge = null,
    System.Net.IPAddress? Metadata = null,
    string? Capacity = null,
    System.Net.IPAddress? Publish = null,
    System.Net.IPEndPoint? DnsServer = null)
{
    /// <summary>
    /// The node address published ports listen on and <c>networkBindings</c> report as <c>bindIP</c>: ECS's 0.0.0.0 unless set
    /// (<c>gantry dev</c> and tests use 127.0.0.1, so nothing they run is reachable from other machines).
    /// </summary>
    public System.Net.IPAddress PublishAddress => Publish ?? System.Net.IPAddress.Any;

    /// <summary>The node bridge's address; task addresses come from its /16.</summary>
    public System.Net.IPAddress BridgeAddress => Bridge ?? DefaultBridge;

    public static readonly System.Net.IPAddress DefaultBridge = System.Net.IPAddress.Parse("10.213.0.1");

    /// <summary><c>gantry0</c> for the default subnet; another subnet gets its own bridge (<c>gantry&lt;second octet&gt;</c>), so
    /// agents sharing a network namespace (tests, several agents on one host) never share addresses.</summary>
    public string BridgeName => BridgeAddress.Equals(DefaultBridge) ? "gantry0" : $"gantry{BridgeAddress.GetAddressBytes()[1]}";

    /// <summary>
    /// Where the task metadata endpoint listens (port 80), on the node bridge: ECS's 169.254.170.2 for the default bridge.
    /// Another bridge gets 169.254.171.&lt;its second octet&gt;, so agents sharing a network namespace do not fight for one address.
    /// </summary>
    public System.Net.IPAddress MetadataAddress => Metadata
        ?? (BridgeAddress.Equals(DefaultBridge) ? Gantry.Agent.MetadataEndpoint.MetadataIds.DefaultAddress : new System.Net.IPAddress([169, 254, 171, BridgeAddress.GetAddressBytes()[1]]));

    /// <summary>Where images of the control plane's own registry are pulled from: its API endpoint, as this node dials it.</summary>
    public string RegistryHost => ApiEndpoint.Authority;

    /// <summary>
    /// Every control-plane replica the agent may use, in order (<see cref="ApiEndpoint"/>/<see cref="AgentEndpoint"/> is
    /// the first): on losing its control stream it fails over to the next (<see cref="ControlPlaneServers"/>).
    /// </summary>
    public IReadOnlyList<ControlPlaneServer> Servers
    {
        get => _servers ?? [new ControlPlaneServer(ApiEndpoint, AgentEndpoint)];
        init => _servers = value is { Count: > 0 } ? value : null;
    }

    private readonly IReadOnlyList<ControlPlaneServer>? _servers;
}
