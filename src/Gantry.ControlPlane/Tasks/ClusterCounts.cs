using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Tasks;

/// <summary>A cluster's pending and running tasks (<see cref="TaskCounter"/>) by launch type, and its registered (ACTIVE or
/// DRAINING) container instances, as the cache counted them.</summary>
public sealed class ClusterCounts(IReadOnlyDictionary<(string Counted, string LaunchType), int> counts, int registeredInstances)
{
    public int RegisteredInstances => registeredInstances;

    public int Of(string counted, string launchType) => counts.GetValueOrDefault((counted, launchType));

    public int Pending => counts.Where(c => c.Key.Counted == TaskCounter.Pending).Sum(c => c.Value);

    public int Running => counts.Where(c => c.Key.Counted == TaskCounter.Running).Sum(c => c.Value);
}
