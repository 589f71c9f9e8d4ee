namespace Gantry.LoadBalancing.Tcp;

/// <summary>The target group attributes a network load balancer's connections follow.</summary>
internal static class TcpConnectionAttributes
{
    /// <summary>Cut a target's connections when it leaves the group at the end of its deregistration delay.</summary>
    public const string ConnectionTermination = "deregistration_delay.connection_termination.enabled";

    /// <summary>Send a PROXY protocol version 2 header with the client's address before the client's bytes.</summary>
    public const string ProxyProtocolV2 = "proxy_protocol_v2.enabled";
}
