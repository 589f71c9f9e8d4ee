namespace Gantry.Reconciliation;

/// <summary>What the service asks for: the part of an ECS service that the reconcile step reads.</summary>
/// <param name="ServiceName">The service name, used in event messages (<c>(service NAME) ...</c>).</param>
/// <param name="SchedulingStrategy"><c>REPLICA</c> or <c>DAEMON</c>.</param>
/// <param name="DesiredCount">The number of tasks a <c>REPLICA</c> service keeps; ignored for <c>DAEMON</c> (one task per
/// eligible container instance).</param>
/// <param name="MinimumHealthyPercent">Lower bound, as a percent of the desired count rounded up, on healthy tasks
/// while old tasks are stopped (deployments, draining, scale-in). ECS defaults: 100 for <c>REPLICA</c>, 0 for
/// <c>DAEMON</c>.</param>
/// <param name="MaximumPercent">Upper bound, as a percent of the desired count rounded down, on live (pending or
/// running) tasks across all deployments. ECS defaults: 200 for <c>REPLICA</c>, 100 for <c>DAEMON</c> (a
/// <c>DAEMON</c> service never runs two tasks on one instance, whatever this says).</param>
/// <param name="CircuitBreakerEnable">Whether the deployment circuit breaker may fail the primary deployment.</param>
/// <param name="CircuitBreakerRollback">Whether a failed deployment rolls back to the last <c>COMPLETED</c> one.</param>
/// <param name="HealthCheckGracePeriod">How long after a task started an <c>UNHEALTHY</c> container health status is
/// ignored (the task is neither stopped nor counted healthy meanwhile).</param>
/// <remarks><see cref="CapacityStrategy"/>: the primary deployment's capacity provider strategy (empty for a launch
/// type). Scale-in takes tasks from the providers so that what stays is split as the strategy splits it.
/// <see cref="LoadBalanced"/>: the service registers its tasks in target groups; a task then counts as healthy only
/// once its targets are healthy in every group, and a target unhealthy after <see cref="HealthCheckGracePeriod"/>
/// gets the task replaced.</remarks>
public sealed record ServiceSpec(
    string ServiceName,
    string SchedulingStrategy,
    int DesiredCount,
    int MinimumHealthyPercent,
    int MaximumPercent,
    bool CircuitBreakerEnable,
    bool CircuitBreakerRollback,
    TimeSpan HealthCheckGracePeriod)
{
    public IReadOnlyList<Scheduling.Capacity.CapacityShare> CapacityStrategy { get; init; } = [];

    public bool LoadBalanced { get; init; }
}
