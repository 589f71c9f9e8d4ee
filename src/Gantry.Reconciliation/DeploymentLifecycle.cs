using Gantry.Domain.Ecs;

namespace Gantry.Reconciliation;

/// <summary>Deployment status bookkeeping: which deployment is primary, and which older ones are done.</summary>
internal static class DeploymentLifecycle
{
    /// <summary>The primary deployment: the newest with status <c>PRIMARY</c>.</summary>
    public static DeploymentState? PickPrimary(IEnumerable<DeploymentState> deployments) =>
        deployments
            .Where(d => d.Status == EcsValues.Primary)
            .OrderByDescending(d => d.CreatedAt)
            .ThenByDescending(d => d.Id, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>
    /// The deployments after this step: the primary replaced by its updated state; every other deployment
    /// <c>ACTIVE</c> while it has live tasks and <c>INACTIVE</c> once it has none (a second <c>PRIMARY</c> is demoted).
    /// A deployment the circuit breaker failed stays <c>ACTIVE</c> (rolloutState FAILED) while the rollback it
    /// started is in progress, as ECS shows it.
    /// <see cref="DeploymentState.UpdatedAt"/> becomes <paramref name="now"/> on the ones that changed.
    /// </summary>
    public static List<DeploymentState> Update(
        IReadOnlyList<DeploymentState> deployments,
        DeploymentState? original,
        DeploymentState? updated,
        IReadOnlyCollection<TaskFacts> tasks,
        DateTimeOffset now)
    {
        HashSet<string> withLiveTasks = [.. tasks.Where(f => f.Live).Select(f => f.Task.DeploymentId)];
        List<DeploymentState> result = new(deployments.Count);
        foreach (DeploymentState deployment in deployments)
        {
            DeploymentState next;
            if (original is not null && updated is not null && ReferenceEquals(deployment, original))
            {
                next = updated;
            }
            else if (deployment.Status == EcsValues.Inactive)
            {
                next = deployment;
            }
            else
            {
                bool shown = withLiveTasks.Contains(deployment.Id)
                    || (deployment.RolloutState == DeploymentRolloutStateValues.FAILED && updated?.RolloutState == DeploymentRolloutStateValues.IN_PROGRESS);
                string status = shown ? EcsValues.Active : EcsValues.Inactive;
                next = deployment with { Status = status };
            }

            result.Add(next == deployment ? deployment : next with { UpdatedAt = now });
        }

        return result;
    }
}
