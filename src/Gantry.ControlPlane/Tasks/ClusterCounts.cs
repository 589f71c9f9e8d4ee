using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Tasks;

/// <summary>A cluster's pending and running tasks (<see cref="TaskCounter"/>) by launch type, as the cache counted them.</summary>
public sealed class TaskCounts(IReadOnlyDictionary<(string Counted, string LaunchType), int> counts)
{
    public int Of(string counted, string launchType) => counts.GetValueOrDefault((counted, launchType));

    public int Pending => counts.Where(c => c.Key.Counted == TaskCounter.Pending).Sum(c => c.Value);

    public int Running => counts.Where(c => c.Key.Counted == TaskCounter.Running).Sum(c => c.Value);
}
