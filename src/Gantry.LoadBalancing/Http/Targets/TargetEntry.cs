using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Http.Targets;

/// <summary>A routable-if-healthy target of a group as one snapshot sees it, with the counters that outlive snapshots.</summary>
/// <param name="DestinationPrefix">The URI prefix requests to it are forwarded to, e.g. <c>http://10.0.1.5:80/</c>.</param>
/// <param name="CookieValue">How stickiness cookies name it (<c>id:port</c>).</param>
internal sealed record TargetEntry(TargetView View, string DestinationPrefix, string CookieValue, TargetCounters Counters);

/// <summary>Per-target load state kept across snapshots: requests in flight and the smooth round robin's current weight.</summary>
internal sealed class TargetCounters
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Smooth weighted round robin's running weight; only touched under the group's lock.</summary>
    public double CurrentWeight { get; set; }

    public void Started() => Interlocked.Increment(ref _inFlight);

    public void Finished() => Interlocked.Decrement(ref _inFlight);
}
