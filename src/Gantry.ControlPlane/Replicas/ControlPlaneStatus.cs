using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Leadership;
using Gantry.ControlPlane.State;
using Gantry.Store;

namespace Gantry.ControlPlane.Replicas;

/// <summary>A replica as `gantry cluster status` shows it.</summary>
/// <param name="Stale">Its heartbeat is older than <see cref="ReplicaHeartbeat.StaleAfter"/> on the answering replica's clock.</param>
/// <param name="Agents">How many container instances' agents are connected to it.</param>
public sealed record ReplicaState(ReplicaRecord Record, bool Stale, bool Leader, int Agents);

/// <summary>The controllers' lease: its holder, its fencing token (the lease's version), when it was taken and last renewed.</summary>
public sealed record LeaseState(string Holder, long FencingToken, DateTimeOffset AcquiredAt, DateTimeOffset? RenewedAt);

/// <param name="StoreRevision">The newest revision of the store this replica knows of.</param>
/// <param name="FollowedRevision">The newest revision its change-feed follower (<see cref="AgentTaskFeed"/>) handled.</param>
public sealed record ControlPlaneStatusReport(string AnsweredBy, DateTimeOffset Now, IReadOnlyList<ReplicaState> Replicas, LeaseState? Lease,
    long StoreRevision, long FollowedRevision)
{
    /// <summary>How many commits the answering replica's follower is behind.</summary>
    public long StoreLag => Math.Max(0, StoreRevision - FollowedRevision);
}

/// <summary>Reads the replicas, the lease and the answering replica's change-feed position.</summary>
public sealed class ControlPlaneStatus(Documents documents, string replicaId, FeedPosition feed, TimeProvider time)
{
    public async Task<ControlPlaneStatusReport> ReadAsync(CancellationToken ct)
    {
        var storeRevision = documents.Store.CurrentRevision;
        var followed = feed.Revision < 0 ? storeRevision : feed.Revision;
        var now = time.GetUtcNow();
        var lease = await documents.GetAsync<LeaseRecord>(LeaseKinds.Kind, LeaseKinds.Lease, ct).ConfigureAwait(false);
        var heartbeat = await documents.GetAsync<LeaseHeartbeat>(LeaseKinds.Kind, LeaseKinds.Heartbeat, ct).ConfigureAwait(false);
        var agents = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var link in documents.EnumerateAsync<AgentLink>(Kinds.AgentLink, null, null, ct).ConfigureAwait(false))
        {
            agents[link.Value.Replica] = agents.GetValueOrDefault(link.Value.Replica) + 1;
        }
        var replicas = (await documents.ListAllAsync<ReplicaRecord>(Kinds.Replica, null, ct).ConfigureAwait(false))
            .Select(r => new ReplicaState(r.Value, r.Value.Id != replicaId && now - r.Value.LastSeen > ReplicaHeartbeat.StaleAfter,
                r.Value.Id == lease?.Value.Holder, agents.GetValueOrDefault(r.Value.Id)))
            .ToList();
        var leaseState = lease is null ? null
            : new LeaseState(lease.Value.Holder, lease.Version, lease.Value.AcquiredAt, heartbeat?.Value.Holder == lease.Value.Holder ? heartbeat.Value.RenewedAt : null);
        return new ControlPlaneStatusReport(replicaId, now, replicas, leaseState, storeRevision, followed);
    }
}
