namespace Gantry.Reconciliation;

/// <summary>
/// <c>DAEMON</c>: exactly one task of the primary deployment on every eligible container instance (<c>ACTIVE</c>,
/// connected, admitted by the placement constraints); the desired count is the number of such instances. Tasks on
/// instances that are draining, not active or no longer admitted are stopped; so are duplicates. Tasks on an
/// instance whose agent is disconnected (but not yet lost) are left alone. A rolling update replaces instance by
/// instance: the old task is stopped first and the new one started on a later step (never two on one instance), and
/// <c>minimumHealthyPercent</c> bounds, over the instance count, how many instances may be without a healthy task.
/// </summary>
internal static class DaemonPlanner
{
    /// <summary>Whether a <c>DAEMON</c> task belongs on the instance.</summary>
    public static bool IsEligible(ServiceNode node) =>
        node.Active && !node.Draining && node.Connected && node.MatchesPlacement;

    /// <summary>Plans one step.</summary>
    /// <param name="spec">The service.</param>
    /// <param name="primaryId">The primary deployment.</param>
    /// <param name="rolling">Whether the primary deployment may start tasks (it has not failed).</param>
    /// <param name="live">The counted tasks (live, not lost, not failing health checks).</param>
    /// <param name="eligible">The eligible instances, in instance ID order.</param>
    public static Plan Plan(
        ServiceSpec spec, string primaryId, bool rolling, IReadOnlyList<TaskFacts> live, IReadOnlyList<ServiceNode> eligible)
    {
        int minHealthy = Percentages.MinimumHealthyTasks(eligible.Count, spec.MinimumHealthyPercent);
        HashSet<string> eligibleIds = [.. eligible.Select(n => n.InstanceId)];
        Dictionary<string, List<TaskFacts>> byNode = live
            .Where(f => f.Node is not null)
            .GroupBy(f => f.Node!.InstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        List<TaskStop> stops = [];
        List<TaskLaunch> launches = [];

        // Tasks on reachable instances where no daemon task belongs: stop, whatever their health.
        foreach (TaskFacts task in TaskOrder.StopFirst(live.Where(f =>
                     f.Node is { Connected: true } node && !eligibleIds.Contains(node.InstanceId))))
        {
            stops.Add(Stop(task));
        }

        List<TaskFacts> candidates = [];
        foreach (ServiceNode node in eligible)
        {
            List<TaskFacts> here = byNode.GetValueOrDefault(node.InstanceId) ?? [];
            List<TaskFacts> primary = [.. TaskOrder.KeepFirst(here.Where(f => f.Task.DeploymentId == primaryId))];
            List<TaskFacts> old = [.. here.Where(f => f.Task.DeploymentId != primaryId)];

            candidates.AddRange(primary.Skip(1));
            if (rolling)
            {
                candidates.AddRange(old);
                if (here.Count == 0)
                {
                    launches.Add(new TaskLaunch(primaryId, 1, node.InstanceId));
                }
            }
        }

        StopWithinBudget(candidates, byNode, eligibleIds, minHealthy, stops);

        bool settled = live.Count == eligible.Count
            && live.All(f => f.Task.DeploymentId == primaryId && f.Healthy && f.Node is not null && eligibleIds.Contains(f.Node.InstanceId))
            && live.Select(f => f.Node!.InstanceId).Distinct(StringComparer.Ordinal).Count() == live.Count;
        return new Plan(launches, stops, settled);
    }

    /// <summary>Stops the candidates that are not healthy, then the healthy ones while the instances with a healthy
    /// task stay at or above the minimum (stopping a healthy task on an instance that keeps another is free).</summary>
    private static void StopWithinBudget(
        List<TaskFacts> candidates,
        Dictionary<string, List<TaskFacts>> byNode,
        HashSet<string> eligibleIds,
        int minHealthy,
        List<TaskStop> stops)
    {
        Dictionary<string, int> healthyHere = byNode
            .Where(kv => eligibleIds.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.Count(f => f.Healthy), StringComparer.Ordinal);
        int healthyNodes = healthyHere.Values.Count(n => n > 0);

        foreach (TaskFacts task in TaskOrder.StopFirst(candidates))
        {
            if (!task.Healthy)
            {
                stops.Add(Stop(task));
                continue;
            }

            string nodeId = task.Node!.InstanceId;
            if (healthyHere[nodeId] == 1)
            {
                if (healthyNodes - 1 < minHealthy)
                {
                    continue;
                }

                healthyNodes--;
            }

            healthyHere[nodeId]--;
            stops.Add(Stop(task));
        }
    }

    private static TaskStop Stop(TaskFacts task) =>
        new(task.Id, StopReasons.ScalingActivity(task.Task.DeploymentId));
}
