namespace Gantry.Dns.Server;

/// <summary>The server's limits; <see cref="DnsServer.StartAsync"/> uses the defaults, tests shorten them.</summary>
internal sealed record DnsServerOptions
{
    /// <summary>How long one upstream has to answer before the next is tried.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a TCP connection may wait for its next query.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Forwarded queries awaiting an upstream at once; beyond, SERVFAIL at once.</summary>
    public int MaxInFlightForwards { get; init; } = 1024;

    public int MaxTcpConnections { get; init; } = 512;

    /// <summary>UDP receive loops on the listening socket: one per core, two at least.</summary>
    public int UdpLoops { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Connected UDP sockets per upstream; each forward picks one, so replies come to one of several random ports.</summary>
    public int SocketsPerUpstream { get; init; } = 4;

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
