namespace Gantry.LoadBalancing.State;

/// <summary>
/// What the health checks know about the targets, as the request and connection routers ask it: whether a target may
/// take new work and with what share (slow start), and the failures routers see while forwarding (passive ejection).
/// </summary>
public interface ITargetHealth
{
    /// <summary>How <paramref name="target"/> of <paramref name="group"/> may be routed to now.</summary>
    TargetRoute RouteOf(TargetGroupView group, TargetView target);

    /// <summary>A router could not connect to <paramref name="target"/> (or its connection failed before any answer).</summary>
    void ReportFailure(TargetGroupView group, TargetView target);
}

/// <summary>How a router may use a target.</summary>
/// <param name="Routable">Whether new requests or connections may go to it (healthy; initial ones only while the group
/// has no healthy target, as ELB fails open when every target is unhealthy).</param>
/// <param name="Weight">Its share relative to a fully warmed target, in (0, 1]: below 1 during slow start.</param>
public readonly record struct TargetRoute(bool Routable, double Weight)
{
    public static readonly TargetRoute Excluded = new(false, 0);

    public static readonly TargetRoute Full = new(true, 1);
}
