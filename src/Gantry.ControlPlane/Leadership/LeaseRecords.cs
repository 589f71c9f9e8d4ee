namespace Gantry.ControlPlane.Leadership;

/// <summary>The controllers' lease. Its store version is the fencing token: it changes only when a replica takes the
/// lease, so a commit checked against it (<see cref="FencedStateStore"/>) fails once another replica leads.</summary>
/// <param name="Holder">The replica id of the leader.</param>
public sealed record LeaseRecord(string Holder, DateTimeOffset AcquiredAt);

/// <summary>The leader's proof of life, rewritten on every renewal: followers watch its version change on their own
/// clocks (no comparison of clocks across machines).</summary>
public sealed record LeaseHeartbeat(string Holder, DateTimeOffset RenewedAt);

public static class LeaseKinds
{
    public const string Kind = "leadership";
    public const string Lease = "controllers";
    public const string Heartbeat = "controllers-heartbeat";
}
