using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Store;

namespace Gantry.ControlPlane.Agents;

/// <summary>Which replica an instance's agent is connected to (kind <c>agent-link</c>, key <c>&lt;cluster&gt;/&lt;instance id&gt;</c>).</summary>
public sealed record AgentLink(string Replica, string Cluster, string InstanceId, DateTimeOffset Since)
{
    public string Key => Kinds.InCluster(Cluster, InstanceId);
}

/// <summary>
/// Keeps an instance's <c>agentConnected</c> right when agents move between replicas: connecting records the replica
/// (<see cref="AgentLink"/>) and marks the instance connected in one commit; a replica marks it disconnected only while
/// the link still names it, so an old stream of an agent that already failed over to another replica, closing late,
/// changes nothing. The links of a replica that died are cleared by the leader (<see cref="Replicas.OrphanedLinkSweeper"/>).
/// </summary>
public sealed class AgentLinks(Documents documents, string replicaId, TimeProvider time)
{
    private const int MaxAttempts = 8;

    public string ReplicaId => replicaId;

    /// <summary>Records that the membership's agent is connected here (or, <paramref name="connected"/> false, no longer).</summary>
    public Task SetAsync(Membership membership, bool connected, CancellationToken ct) => SetAsync(membership, connected, () => true, ct);

    /// <summary>Marks the membership's agent disconnected while <paramref name="stillGone"/> holds, asked again after
    /// every read: a new stream of the agent that opened here meanwhile (and wrote its link) keeps it connected.</summary>
    public Task DisconnectAsync(Membership membership, Func<bool> stillGone, CancellationToken ct) => SetAsync(membership, false, stillGone, ct);

    private async Task SetAsync(Membership membership, bool connected, Func<bool> stillGone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var key = Kinds.InCluster(membership.Cluster, membership.InstanceId);
        for (var attempt = 1; ; attempt++)
        {
            var instance = await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, key, ct).ConfigureAwait(false);
            var link = await documents.GetAsync<AgentLink>(Kinds.AgentLink, key, ct).ConfigureAwait(false);
            if (instance is null || (!connected && ((link is not null && link.Value.Replica != replicaId) || !stillGone())))
            {
                return;
            }
            var ops = new List<WriteOp>();
            if (connected)
            {
                ops.Add(documents.Put(Kinds.AgentLink, key, new AgentLink(replicaId, membership.Cluster, membership.InstanceId, time.GetUtcNow()),
                    link?.Version ?? WriteOp.MustNotExist));
            }
            else if (link is not null)
            {
                ops.Add(new DeleteOp(Kinds.AgentLink, key, link.Version));
            }
            if (instance.Value.AgentConnected != connected)
            {
                ops.Add(documents.Put(Kinds.ContainerInstance, key, instance.Value with { AgentConnected = connected, Version = instance.Value.Version + 1 }, instance.Version));
            }
            if (ops.Count == 0)
            {
                return;
            }
            try
            {
                await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Marks disconnected every instance whose link names a replica <paramref name="alive"/> says is dead (it died with
    /// its streams open). Returns how many it cleared.
    /// </summary>
    public async Task<int> ClearOrphansAsync(Func<string, bool> alive, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(alive);
        var cleared = 0;
        await foreach (var link in documents.EnumerateAsync<AgentLink>(Kinds.AgentLink, null, null, ct).ConfigureAwait(false))
        {
            if (alive(link.Value.Replica))
            {
                continue;
            }
            var key = link.Value.Key;
            var instance = await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, key, ct).ConfigureAwait(false);
            List<WriteOp> ops = [new DeleteOp(Kinds.AgentLink, key, link.Version)];
            if (instance is { Value.AgentConnected: true })
            {
                ops.Add(documents.Put(Kinds.ContainerInstance, key, instance.Value with { AgentConnected = false, Version = instance.Value.Version + 1 }, instance.Version));
            }
            try
            {
                await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
                cleared++;
            }
            catch (ConcurrencyConflictException)
            {
                // The agent connected again meanwhile (or the instance changed): looked at again next round.
            }
        }
        return cleared;
    }
}
