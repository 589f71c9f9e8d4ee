using Gantry.Domain.Ecs;

namespace Gantry.Reconciliation;

/// <summary>
/// One level-triggered reconcile step of an ECS service: from the spec, the deployments, the tasks, the container
/// instances and the time, decide which tasks to start and stop and how the deployments move on. Pure: no I/O, no
/// clock but <see cref="ReconcileInput.Now"/>; the same input gives the same result. The caller applies the result
/// and calls again later.
/// </summary>
public static class ServiceReconciler
{
    /// <summary>Runs one reconcile step.</summary>
    /// <param name="input">The service, its deployments and tasks, the cluster's instances, and the time.</param>
    /// <exception cref="ArgumentNullException">A required part of the input is null.</exception>
    /// <exception cref="ArgumentException">The scheduling strategy is neither <c>REPLICA</c> nor <c>DAEMON</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The desired count or a percentage is negative.</exception>
    public static ReconcileResult Reconcile(ReconcileInput input)
    {
        Validate(input);
        ServiceSpec spec = input.Spec;
        bool daemon = spec.SchedulingStrategy == SchedulingStrategyValues.DAEMON;

        Dictionary<string, ServiceNode> nodes = new(StringComparer.Ordinal);
        foreach (ServiceNode node in input.Nodes)
        {
            nodes.TryAdd(node.InstanceId, node);
        }

        List<TaskFacts> facts =
            [.. input.Tasks.Select(t => TaskFacts.Of(t, nodes.GetValueOrDefault(t.InstanceId ?? string.Empty), input))];
        List<TaskFacts> live = [.. facts.Where(f => f.Counted)];
        List<ServiceNode> eligible =
            [.. nodes.Values.Where(DaemonPlanner.IsEligible).OrderBy(n => n.InstanceId, StringComparer.Ordinal)];
        int desired = daemon ? eligible.Count : spec.DesiredCount;

        List<string> events = [];
        List<TaskStop> stops = ForcedStops(spec, facts, events);
        HashSet<string> registered = [.. facts.Where(f => f.Live && f.Task.Registered && f.Task.Draining is null).Select(f => f.Id)];

        DeploymentState? original = DeploymentLifecycle.PickPrimary(input.Deployments);
        DeploymentState? primary = original;
        string? rollbackArn = null;
        List<string> deploymentEvents = [];
        if (primary is { RolloutState: DeploymentRolloutStateValues.IN_PROGRESS })
        {
            (primary, bool tripped) = CircuitBreaker.Evaluate(spec, primary, facts, desired);
            if (tripped)
            {
                deploymentEvents.Add(ServiceEvents.DeploymentFailed(spec.ServiceName, primary.Id));
                if (spec.CircuitBreakerRollback && CircuitBreaker.RollbackTarget(input.Deployments, primary) is { } target)
                {
                    deploymentEvents.Add(ServiceEvents.RollingBack(spec.ServiceName, target.Id));
                    rollbackArn = target.TaskDefinitionArn;
                }
            }
        }

        bool rolling = primary is not null && primary.RolloutState != DeploymentRolloutStateValues.FAILED;
        Plan plan = primary is null ? Plan.Idle
            : daemon ? DaemonPlanner.Plan(spec, primary.Id, rolling, live, eligible)
            : ReplicaPlanner.Plan(spec, primary.Id, rolling, live);
        stops.AddRange(plan.Stops);

        List<TaskStop> drains = [.. stops.Where(s => registered.Contains(s.TaskId))];
        stops.RemoveAll(s => registered.Contains(s.TaskId));
        stops.AddRange(facts
            .Where(f => f.Live && f.Task.Draining is { } draining && draining.Until <= input.Now)
            .Select(f => new TaskStop(f.Id, f.Task.Draining!.Reason)));
        bool draining = facts.Any(f => f.Live && f.Task.Draining is not null);

        bool quiet = plan.Launches.Count == 0 && stops.Count == 0 && drains.Count == 0 && !draining;
        if (primary is { RolloutState: DeploymentRolloutStateValues.IN_PROGRESS } && quiet && plan.Settled)
        {
            primary = primary with
            {
                RolloutState = DeploymentRolloutStateValues.COMPLETED,
                RolloutStateReason = ServiceEvents.CompletedReason(primary.Id),
            };
            deploymentEvents.Add(ServiceEvents.DeploymentCompleted(spec.ServiceName, primary.Id));
        }

        bool steady = primary is { RolloutState: DeploymentRolloutStateValues.COMPLETED } && quiet && plan.Settled;
        if (stops.Count > 0)
        {
            events.Add(ServiceEvents.Stopped(spec.ServiceName, [.. stops.Select(s => s.TaskId)]));
        }

        if (drains.Count > 0)
        {
            events.Add(ServiceEvents.BegunDraining(spec.ServiceName, drains.Count));
        }

        events.AddRange(deploymentEvents);
        if (steady)
        {
            events.Add(ServiceEvents.SteadyState(spec.ServiceName));
        }

        List<DeploymentState> deployments =
            DeploymentLifecycle.Update(input.Deployments, original, primary, facts, input.Now);
        return new ReconcileResult(plan.Launches, stops, deployments, rollbackArn, events, steady) { Drains = drains };
    }

    /// <summary>Stops live tasks whose instance is lost and running tasks that failed their container health
    /// checks after the grace period; the planners do not count them, so they are replaced.</summary>
    private static List<TaskStop> ForcedStops(ServiceSpec spec, IEnumerable<TaskFacts> facts, List<string> events)
    {
        List<TaskStop> stops = [];
        foreach (TaskFacts task in facts.Where(f => f.Live && f.Task.Draining is null))
        {
            if (task.Lost)
            {
                stops.Add(new TaskStop(task.Id, StopReasons.ContainerInstanceLost));
            }
            else if (task.FailedHealthChecks)
            {
                events.Add(ServiceEvents.FailedContainerHealthChecks(spec.ServiceName, task.Id));
                stops.Add(new TaskStop(task.Id, StopReasons.FailedContainerHealthChecks));
            }
            else if (task.UnhealthyTarget is { } target)
            {
                events.Add(ServiceEvents.UnhealthyInTargetGroup(spec.ServiceName, task.Id, target));
                stops.Add(new TaskStop(task.Id, StopReasons.FailedElbHealthChecks(target.TargetGroupArn)));
            }
        }

        return stops;
    }

    private static void Validate(ReconcileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Spec, nameof(input));
        ArgumentNullException.ThrowIfNull(input.Deployments, nameof(input));
        ArgumentNullException.ThrowIfNull(input.Tasks, nameof(input));
        ArgumentNullException.ThrowIfNull(input.Nodes, nameof(input));
        ServiceSpec spec = input.Spec;
        if (spec.SchedulingStrategy is not (SchedulingStrategyValues.REPLICA or SchedulingStrategyValues.DAEMON))
        {
            throw new ArgumentException(
                $"Scheduling strategy '{spec.SchedulingStrategy}' is neither {SchedulingStrategyValues.REPLICA} nor {SchedulingStrategyValues.DAEMON}.",
                nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(spec.DesiredCount, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegative(spec.MinimumHealthyPercent, nameof(input));
        ArgumentOutOfRangeException.ThrowIfNegative(spec.MaximumPercent, nameof(input));
    }
}
