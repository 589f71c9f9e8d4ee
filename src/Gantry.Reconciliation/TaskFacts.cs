using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Reconciliation;

/// <summary>What the reconcile step concludes about one task at <see cref="ReconcileInput.Now"/>.</summary>
/// <param name="Task">The task as reported.</param>
/// <param name="Node">Its container instance, or null when it is unplaced or on an instance that is not listed.</param>
/// <param name="Live">Neither its desired nor its last status is <c>STOPPED</c>.</param>
/// <param name="Lost">Live, but its instance is gone (not listed) or its agent has been disconnected for the grace
/// period: stop it and do not count it.</param>
/// <param name="Healthy">Live, not lost, <c>RUNNING</c> and healthy: <c>HEALTHY</c> when it has a health check,
/// otherwise <c>RUNNING</c> for 40 seconds (or, load balanced, at once); load balanced, also healthy in every target
/// group. What <c>minimumHealthyPercent</c> counts.</param>
/// <param name="FailedHealthChecks">Live, not lost, <c>RUNNING</c>, <c>UNHEALTHY</c> and past the service's health
/// check grace period: stop and replace it.</param>
/// <param name="OnLeavingNode">Its instance is <c>DRAINING</c> or otherwise not <c>ACTIVE</c>: a <c>REPLICA</c> task
/// there is replaced elsewhere.</param>
/// <param name="UnhealthyTarget">Live, not lost, <c>RUNNING</c>, past the grace period, not draining, and this target of
/// it is <c>unhealthy</c>: stop and replace it.</param>
internal sealed record TaskFacts(
    ServiceTask Task,
    ServiceNode? Node,
    bool Live,
    bool Lost,
    bool Healthy,
    bool FailedHealthChecks,
    bool OnLeavingNode,
    TargetFact? UnhealthyTarget = null)
{
    /// <summary>The task ID, for ordering and messages.</summary>
    public string Id => Task.TaskId;

    /// <summary>Live and neither lost, failing its (container or load balancer) health checks nor draining: a task the
    /// planners count.</summary>
    public bool Counted => Live && !Lost && !FailedHealthChecks && UnhealthyTarget is null && Task.Draining is null;

    /// <summary>Classifies a task.</summary>
    /// <param name="task">The task.</param>
    /// <param name="node">Its instance, if listed.</param>
    /// <param name="input">The step's input (time, grace periods).</param>
    public static TaskFacts Of(ServiceTask task, ServiceNode? node, ReconcileInput input)
    {
        bool live = task.DesiredStatus != TaskStatus.Stopped && task.LastStatus != TaskStatus.Stopped;
        bool placed = !string.IsNullOrEmpty(task.InstanceId);
        bool lost = live && placed && (node is null || IsLost(node, input));
        bool running = live && !lost && task.LastStatus == TaskStatus.Running;
        TimeSpan? runningFor = task.StartedAt is { } started ? input.Now - started : null;

        bool inGracePeriod = runningFor < input.Spec.HealthCheckGracePeriod;
        // A load-balanced task is healthy once its targets are healthy in every group it is registered in (not before
        // it is registered); the grace period only holds off replacing it. Without a container health check its
        // targets' health is all that counts (ECS: "the service scheduler will wait for the load balancer target group
        // health check to return a healthy status"), not the 40 s an unbalanced task needs.
        bool targetsHealthy = task.Targets.Count > 0
            ? task.Targets.All(t => t.State == TargetFact.Healthy)
            : !input.Spec.LoadBalanced;
        bool healthy = running && targetsHealthy && (task.HasHealthCheck
            ? task.HealthStatus == HealthStatusValues.HEALTHY
            : input.Spec.LoadBalanced || TaskHealth.SettledWithoutCheck(task.StartedAt, input.Now));
        TargetFact? unhealthyTarget = running && !inGracePeriod && task.Draining is null
            ? task.Targets.FirstOrDefault(t => t.State == TargetFact.Unhealthy)
            : null;
        bool failedHealthChecks = running && task.HasHealthCheck && task.HealthStatus == HealthStatusValues.UNHEALTHY
            && !inGracePeriod;
        bool onLeavingNode = node is not null && (node.Draining || !node.Active);

        return new TaskFacts(task, node, live, lost, healthy, failedHealthChecks, onLeavingNode, unhealthyTarget);
    }

    private static bool IsLost(ServiceNode node, ReconcileInput input) =>
        !node.Connected && node.DisconnectedSince is { } since && since + input.DisconnectGrace <= input.Now;
}
