namespace Gantry.Reconciliation;

/// <summary>A task of the service, as last reported. Include the stopped tasks of the current deployments too: the
/// circuit breaker counts them.</summary>
/// <param name="TaskId">The task ID (the last segment of its ARN), as shown in event messages.</param>
/// <param name="DeploymentId">The deployment that started the task (ECS <c>startedBy</c>).</param>
/// <param name="InstanceId">The container instance it was placed on; empty while not yet placed.</param>
/// <param name="LastStatus">The known status: <c>PROVISIONING</c>, <c>PENDING</c>, <c>ACTIVATING</c>, <c>RUNNING</c>,
/// ..., <c>STOPPED</c>.</param>
/// <param name="DesiredStatus"><c>RUNNING</c> or <c>STOPPED</c>; a task whose desired status is <c>STOPPED</c> is on
/// its way out and no longer counts.</param>
/// <param name="HealthStatus">The task's container health: <c>HEALTHY</c>, <c>UNHEALTHY</c> or <c>UNKNOWN</c>.</param>
/// <param name="HasHealthCheck">Whether an essential container defines a health check; without one a task counts as
/// healthy 40 seconds after it reached <c>RUNNING</c>.</param>
/// <param name="StartedAt">When the task reached <c>RUNNING</c>.</param>
/// <param name="StoppedAt">When the task reached <c>STOPPED</c>.</param>
/// <param name="EverHealthy">Whether the task was ever healthy; a task that stops without having been healthy counts
/// as a failure for the circuit breaker.</param>
/// <remarks><see cref="CapacityProvider"/>: the capacity provider it runs on (ECS <c>capacityProviderName</c>), null
/// for a task launched with a launch type. <see cref="Targets"/>: its targets in the service's target groups (empty
/// until registered); <see cref="Registered"/>: they are registered and must be deregistered (drained) before the task
/// is stopped; <see cref="Draining"/>: they were deregistered and the task is stopped when the delay has passed.</remarks>
public sealed record ServiceTask(
    string TaskId,
    string DeploymentId,
    string InstanceId,
    string LastStatus,
    string DesiredStatus,
    string HealthStatus,
    bool HasHealthCheck,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    bool EverHealthy)
{
    public string? CapacityProvider { get; init; }

    public IReadOnlyList<TargetFact> Targets { get; init; } = [];

    public bool Registered { get; init; }

    public TaskDraining? Draining { get; init; }
}
