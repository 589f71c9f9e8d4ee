using Gantry.Scheduling.Capacity;

namespace Gantry.Reconciliation;

/// <summary>
/// <c>REPLICA</c>: the primary deployment aims for the desired count, every other deployment for zero, tasks on
/// draining instances are replaced elsewhere. Starts are bounded by <c>maximumPercent</c> (live tasks across all
/// deployments, counting the starts); stopping a healthy task is allowed only while the healthy tasks left (across
/// all deployments) stay at or above <c>minimumHealthyPercent</c>. Tasks that are not healthy are stopped freely.
/// Starts are computed before stops, so a step never reuses the room its own stops make: the next step does.
/// </summary>
internal static class ReplicaPlanner
{
    /// <summary>Plans one step.</summary>
    /// <param name="spec">The service.</param>
    /// <param name="primaryId">The primary deployment.</param>
    /// <param name="rolling">Whether the primary deployment may start tasks (it has not failed). A failed deployment
    /// starts nothing, so nothing that would need a replacement is stopped either.</param>
    /// <param name="live">The counted tasks (live, not lost, not failing health checks).</param>
    public static Plan Plan(ServiceSpec spec, string primaryId, bool rolling, IReadOnlyList<TaskFacts> live)
    {
        int desired = spec.DesiredCount;
        int maxTotal = Percentages.MaximumTasks(desired, spec.MaximumPercent);
        int minHealthy = Percentages.MinimumHealthyTasks(desired, spec.MinimumHealthyPercent);

        List<TaskFacts> primary = [.. live.Where(f => f.Task.DeploymentId == primaryId)];
        List<TaskFacts> keepers = [.. primary.Where(f => !f.OnLeavingNode)];
        int toStart = rolling ? Math.Max(0, Math.Min(desired - keepers.Count, maxTotal - live.Count)) : 0;

        IEnumerable<TaskFacts> old = rolling ? TaskOrder.StopFirst(live.Where(f => f.Task.DeploymentId != primaryId)) : [];
        IEnumerable<TaskFacts> leaving = rolling ? TaskOrder.StopFirst(primary.Where(f => f.OnLeavingNode)) : [];
        IEnumerable<TaskFacts> surplus = Surplus(spec, keepers, keepers.Count - desired);
        List<TaskFacts> candidates = [.. old, .. leaving, .. surplus];

        List<TaskStop> stops = [];
        int healthy = live.Count(f => f.Healthy);
        foreach (TaskFacts task in candidates.Where(f => !f.Healthy))
        {
            stops.Add(new TaskStop(task.Id, StopReasons.ScalingActivity(task.Task.DeploymentId)));
        }

        foreach (TaskFacts task in candidates.Where(f => f.Healthy))
        {
            if (healthy - 1 < minHealthy)
            {
                break;
            }

            healthy--;
            stops.Add(new TaskStop(task.Id, StopReasons.ScalingActivity(task.Task.DeploymentId)));
        }

        TaskLaunch[] launches = toStart > 0 ? [new TaskLaunch(primaryId, toStart, InstanceId: null)] : [];
        bool settled = live.Count == desired
            && live.All(f => f.Task.DeploymentId == primaryId && f.Healthy && !f.OnLeavingNode);
        return new Plan(launches, stops, settled);
    }

    /// <summary>The <paramref name="count"/> tasks scale-in stops. With a capacity provider strategy, the providers to
    /// take them from are chosen as ECS does (<see cref="CapacityProviderSplit.Remove"/>: providers outside the
    /// strategy first, then those furthest above their weight, base last); within a provider, <see
    /// cref="TaskOrder.SurplusFirst"/>.</summary>
    private static IEnumerable<TaskFacts> Surplus(ServiceSpec spec, IReadOnlyList<TaskFacts> keepers, int count)
    {
        if (count <= 0)
        {
            return [];
        }
        if (spec.CapacityStrategy.Count == 0)
        {
            return TaskOrder.SurplusFirst(keepers).Take(count);
        }
        Dictionary<string, Queue<TaskFacts>> byProvider = keepers
            .GroupBy(f => f.Task.CapacityProvider ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<TaskFacts>(TaskOrder.SurplusFirst(g)), StringComparer.Ordinal);
        return [.. CapacityProviderSplit.Remove(spec.CapacityStrategy, byProvider.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal), count)
            .Select(provider => byProvider[provider].Dequeue())];
    }
}
