using Gantry.Api.State;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>How many container instances and services a cluster holds, counted from the store.</summary>
public sealed record ClusterCounts(int ContainerInstances, int Services)
{
    public static async Task<ClusterCounts> ReadAsync(IStateStore store, string cluster, CancellationToken ct)
    {
        var prefix = Kinds.InCluster(cluster);
        var instances = await store.CountAsync(Kinds.ContainerInstance, prefix, ct).ConfigureAwait(false);
        var services = await store.CountAsync(Kinds.Service, prefix, ct).ConfigureAwait(false);
        return new ClusterCounts((int)instances, (int)services);
    }
}
