using System.Net;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tcp;

/// <summary>
/// Chooses the targets a new connection tries, in order: the routable targets of the group starting at the next one in
/// round robin, or — with <c>source_ip</c> stickiness — at the one the client's address hashes to.
/// </summary>
internal sealed class TcpTargetPicker
{
    private int _next = -1;

    public IReadOnlyList<TargetView> Candidates(TargetGroupView group, ITargetHealth health, IPAddress client)
    {
        var routable = group.Targets.Where(t => t.Endpoint is not null && health.RouteOf(group, t).Routable).ToList();
        if (routable.Count == 0)
        {
            return routable;
        }
        var start = StickyToSource(group)
            ? (int)((uint)StableHash(client) % (uint)routable.Count)
            : (int)((uint)Interlocked.Increment(ref _next) % (uint)routable.Count);
        return [.. routable.Skip(start), .. routable.Take(start)];
    }

    private static bool StickyToSource(TargetGroupView group) =>
        group.Attribute("stickiness.enabled", "false") == "true" && group.Attribute("stickiness.type", "") == "source_ip";

    /// <summary>A hash of the address that is the same in every process (unlike <see cref="object.GetHashCode"/>).</summary>
    private static int StableHash(IPAddress address)
    {
        var hash = unchecked((int)2166136261);
        foreach (var b in address.GetAddressBytes())
        {
            hash = unchecked((hash ^ b) * 16777619);
        }
        return hash;
    }
}
