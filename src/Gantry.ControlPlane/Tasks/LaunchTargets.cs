using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Scheduling;
using Gantry.Scheduling.Capacity;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// One share of a launch: how many of its tasks go to one capacity provider (or to the cluster's instances when the
/// launch names a launch type), and the nodes that can take them.
/// </summary>
/// <param name="Provider">The capacity provider the tasks show (<c>capacityProviderName</c>), null for a plain launch type.</param>
/// <param name="Pool">The Fargate pool the nodes belong to, null for the cluster's own container instances.</param>
/// <param name="Instances">The nodes, with the store versions a commit checks.</param>
/// <param name="Snapshot">The read the candidates come from (the cluster's, or the pool's).</param>
public sealed record LaunchTarget(string? Provider, string? Pool, int Count, IReadOnlyList<Versioned<ContainerInstance>> Instances, ClusterSnapshot Snapshot)
{
    public bool IsFargate => Pool is not null;

    /// <summary>Where the nodes' instance documents are stored: the pool, or the cluster.</summary>
    public string InstanceCluster => Pool ?? Snapshot.Cluster;

    /// <summary>The cluster's own instances, placed on from the <see cref="ClusterStateCache"/>'s index: no list of them is read.</summary>
    public static LaunchTarget OwnInstances(string cluster) => new(null, null, 0, [], new ClusterSnapshot(cluster, [], []));
}

/// <summary>
/// Splits a launch over capacity: a launch type takes the cluster's instances (EC2) or the FARGATE pool; a capacity
/// provider strategy is split by <see cref="CapacityProviderSplit"/> over the group's running tasks, each share going to
/// the FARGATE or FARGATE_SPOT pool, or to the cluster's instances of the provider's node group. Only ACTIVE nodes take
/// tasks (a reclaimed Spot node is DRAINING). When the Spot pool has no active node at all and the strategy gives FARGATE
/// a weight, the FARGATE_SPOT share goes to FARGATE, so services replace interrupted Spot tasks on on-demand capacity.
/// </summary>
public sealed class LaunchTargets(ClusterStateCache cache, CapacityProviderDirectory providers)
{
    public async Task<IReadOnlyList<LaunchTarget>> ForAsync(LaunchRequest request, ClusterSnapshot cluster, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        var capacity = request.Capacity ?? LaunchCapacity.Ec2;
        var pools = new Dictionary<string, ClusterSnapshot>(StringComparer.Ordinal);
        if (!capacity.UsesStrategy)
        {
            return capacity.TaskLaunchType == LaunchTypeValues.FARGATE
                ? [Pool(null, FargatePool.Fargate, request.Count, await PoolSnapshotAsync(pools, FargatePool.Fargate, ct).ConfigureAwait(false))]
                : [new LaunchTarget(null, null, request.Count, Active(cluster, request.TargetInstanceIds), cluster)];
        }
        var split = CapacityProviderSplit.Place(capacity.Shares, GroupCapacity.Running(cluster.Tasks, request.Group), request.Count);
        if (split.Contains(FargatePool.FargateSpot) && capacity.Shares.Any(s => s.Provider == FargatePool.Fargate && s.Weight > 0)
            && Active(await PoolSnapshotAsync(pools, FargatePool.FargateSpot, ct).ConfigureAwait(false), null).Count == 0)
        {
            // No Spot capacity left at all (its nodes were reclaimed): the strategy's FARGATE share takes the Spot share.
            split = [.. split.Select(p => p == FargatePool.FargateSpot ? FargatePool.Fargate : p)];
        }
        var targets = new List<LaunchTarget>();
        foreach (var share in split.GroupBy(p => p, StringComparer.Ordinal))
        {
            if (FargatePool.IsProvider(share.Key))
            {
                targets.Add(Pool(share.Key, share.Key, share.Count(), await PoolSnapshotAsync(pools, share.Key, ct).ConfigureAwait(false)));
                continue;
            }
            var provider = await providers.FindActiveAsync(share.Key, ct).ConfigureAwait(false);
            var members = Active(cluster, request.TargetInstanceIds).Where(i => provider?.Matches(i.Value) == true).ToList();
            targets.Add(new LaunchTarget(share.Key, null, share.Count(), members, cluster));
        }
        return targets;
    }

    private static LaunchTarget Pool(string? provider, string pool, int count, ClusterSnapshot snapshot) =>
        new(provider, FargatePool.Of(pool), count, Active(snapshot, null), snapshot);

    /// <summary>A Fargate pool's nodes and tasks, read once per launch.</summary>
    private async Task<ClusterSnapshot> PoolSnapshotAsync(Dictionary<string, ClusterSnapshot> read, string provider, CancellationToken ct)
    {
        if (!read.TryGetValue(provider, out var snapshot))
        {
            snapshot = await cache.SnapshotAsync(FargatePool.Of(provider), ct).ConfigureAwait(false);
            read[provider] = snapshot;
        }
        return snapshot;
    }

    private static List<Versioned<ContainerInstance>> Active(ClusterSnapshot snapshot, IReadOnlyList<string>? targets) =>
    [
        .. snapshot.Instances.Where(i => i.Value.Status == ContainerInstanceStatusValues.ACTIVE)
            .Where(i => targets is null || targets.Contains(EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!))),
    ];
}
