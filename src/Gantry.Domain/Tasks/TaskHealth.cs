using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>When a task counts as healthy: by its containers' health checks, or, without one, by time spent RUNNING.</summary>
public static class TaskHealth
{
    /// <summary>How long a task without a container health check must have been <c>RUNNING</c> before it counts as
    /// healthy (ECS <c>DeploymentConfiguration.minimumHealthyPercent</c>: "the service scheduler will wait for 40
    /// seconds after a task reaches a RUNNING state").</summary>
    public static readonly TimeSpan NoHealthCheckSettleTime = TimeSpan.FromSeconds(40);

    /// <summary>Whether an essential container of the definition has a health check (what the task's health follows).</summary>
    public static bool HasHealthCheck(TaskDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return (definition.ContainerDefinitions ?? []).Any(c => c.Essential != false && c.HealthCheck is not null);
    }

    /// <summary>Whether a task without a health check that started at <paramref name="startedAt"/> counts as healthy
    /// at <paramref name="at"/>: it has been RUNNING for <see cref="NoHealthCheckSettleTime"/>.</summary>
    public static bool SettledWithoutCheck(DateTimeOffset? startedAt, DateTimeOffset at) =>
        startedAt is { } started && at - started >= NoHealthCheckSettleTime;
}
