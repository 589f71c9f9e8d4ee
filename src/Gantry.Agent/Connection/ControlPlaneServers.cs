using Grpc.Net.Client;

namespace Gantry.Agent.Connection;

/// <summary>One control-plane replica as an agent dials it: its AWS API endpoint (where its registry is) and its gRPC listener.</summary>
public sealed record ControlPlaneServer(Uri ApiEndpoint, Uri AgentEndpoint)
{
    /// <summary>Where images of the control plane's own registry are pulled from: its API endpoint, as this node dials it.</summary>
    public string RegistryHost => ApiEndpoint.Authority;

    /// <summary>How long an HTTP/2 connection may be silent before it is pinged, and how long the ping may take: a replica
    /// that vanished without closing its connections (power loss, partition) is noticed within their sum.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    /// <summary>How long dialing the replica may take: past a partition nothing answers a SYN (no reset, no
    /// unreachable), and the kernel alone would retry for about two minutes, spacing its retries ever wider, so a
    /// returning network would be noticed late. The agent gives up and dials again instead (with its backoff).</summary>
    public static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A gRPC channel to the replica's agent listener that notices a dead peer through HTTP/2 pings and gives
    /// up dialing one that does not answer.</summary>
    public GrpcChannel OpenChannel() => GrpcChannel.ForAddress(AgentEndpoint, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = KeepAlive,
            KeepAlivePingTimeout = KeepAlive,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = DialTimeout,
        },
        DisposeHttpClient = true,
    });
}

/// <summary>
/// The replicas an agent may use, in the order given, and the one it uses now: the control stream, joining and log
/// shipping all go to <see cref="Current"/>; when the control stream is lost the agent moves to the next one
/// (<see cref="MoveOn"/>), round the list, so any live replica serves it.
/// </summary>
public sealed class ControlPlaneServers
{
    private readonly IReadOnlyList<ControlPlaneServer> _servers;
    private int _current;

    public ControlPlaneServers(IReadOnlyList<ControlPlaneServer> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        _servers = servers;
    }

    public IReadOnlyList<ControlPlaneServer> All => _servers;

    public ControlPlaneServer Current => _servers[Volatile.Read(ref _current)];

    /// <summary>Moves to the next replica after <paramref name="failed"/> (unless another caller already moved on); returns it.</summary>
    public ControlPlaneServer MoveOn(ControlPlaneServer failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var index = IndexOf(failed);
        Interlocked.CompareExchange(ref _current, (index + 1) % _servers.Count, index);
        return Current;
    }

    private int IndexOf(ControlPlaneServer server)
    {
        for (var i = 0; i < _servers.Count; i++)
        {
            if (_servers[i] == server)
            {
                return i;
            }
        }
        return -1;
    }
}
