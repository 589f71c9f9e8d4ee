using Gantry.Domain.Ecs;

namespace Gantry.Reconciliation;

/// <summary>
/// The deployment circuit breaker. A task of the primary deployment that reached <c>STOPPED</c> without ever being
/// healthy is a failure; a task becoming healthy resets the count (ECS <c>resetOnHealthyTask</c>, default true), so
/// only failures that stopped after the latest healthy task started count. The breaker trips at
/// <c>clamp(ceil(0.5 × desired), 3, 200)</c> failures (ECS <c>ServiceDeploymentCircuitBreaker.threshold</c>, the
/// default <c>BOUNDED_PERCENT</c> 50 threshold).
/// </summary>
internal static class CircuitBreaker
{
    public const int MinimumThreshold = 3;
    public const int MaximumThreshold = 200;

    /// <summary>The failure count at which the breaker trips for a desired count.</summary>
    public static int Threshold(int desired) => Math.Clamp((desired + 1) / 2, MinimumThreshold, MaximumThreshold);

    /// <summary>The primary deployment's consecutive failures: its stopped, never-healthy tasks that stopped after the
    /// latest of its healthy tasks started.</summary>
    public static int CountFailures(string deploymentId, IEnumerable<TaskFacts> tasks)
    {
        List<TaskFacts> own = [.. tasks.Where(f => f.Task.DeploymentId == deploymentId)];
        DateTimeOffset? resetAt = null;
        foreach (TaskFacts task in own.Where(f => f.Task.EverHealthy || f.Healthy))
        {
            DateTimeOffset started = task.Task.StartedAt ?? DateTimeOffset.MinValue;
            resetAt = resetAt is { } latest && latest >= started ? latest : started;
        }

        return own.Count(f =>
            f.Task.LastStatus == TaskStatus.Stopped
            && !f.Task.EverHealthy
            && (resetAt is null || f.Task.StoppedAt is null || f.Task.StoppedAt > resetAt));
    }

    /// <summary>Updates the failure count of an <c>IN_PROGRESS</c> primary deployment and fails it when the breaker is
    /// enabled and the threshold is reached.</summary>
    /// <returns>The updated primary, and whether the breaker tripped in this step.</returns>
    public static (DeploymentState Primary, bool Tripped) Evaluate(
        ServiceSpec spec, DeploymentState primary, IEnumerable<TaskFacts> tasks, int desired)
    {
        int failed = CountFailures(primary.Id, tasks);
        DeploymentState updated = primary with { FailedTasks = failed };
        if (!spec.CircuitBreakerEnable || failed < Threshold(desired))
        {
            return (updated, false);
        }

        return (updated with { RolloutState = DeploymentRolloutStateValues.FAILED, RolloutStateReason = ServiceEvents.CircuitBreakerReason }, true);
    }

    /// <summary>The deployment a failed one rolls back to: the most recent <c>COMPLETED</c> one, if any.</summary>
    public static DeploymentState? RollbackTarget(IEnumerable<DeploymentState> deployments, DeploymentState failed) =>
        deployments
            .Where(d => d.Id != failed.Id && d.RolloutState == DeploymentRolloutStateValues.COMPLETED)
            .OrderByDescending(d => d.CreatedAt)
            .ThenByDescending(d => d.Id, StringComparer.Ordinal)
            .FirstOrDefault();
}
