namespace Gantry.Reconciliation;

/// <summary>One deployment of the service (ECS <c>Deployment</c>): a task definition the service is rolling to or
/// away from.</summary>
/// <param name="Id">The deployment ID (<c>ecs-svc/NNNN</c>); tasks name it in <see cref="ServiceTask.DeploymentId"/>.</param>
/// <param name="TaskDefinitionArn">The task definition this deployment runs.</param>
/// <param name="Status"><c>PRIMARY</c> (the newest; exactly one), <c>ACTIVE</c> (older, still has tasks, drains to
/// zero) or <c>INACTIVE</c> (completely replaced).</param>
/// <param name="RolloutState"><c>IN_PROGRESS</c>, <c>COMPLETED</c> (the service reached a steady state on it) or
/// <c>FAILED</c> (the circuit breaker tripped; it launches no more tasks).</param>
/// <param name="RolloutStateReason">Why the rollout state is what it is, in ECS's words.</param>
/// <param name="FailedTasks">Tasks of this deployment that stopped without ever becoming healthy, counted since the
/// last task of the deployment became healthy (what the circuit breaker compares with its threshold).</param>
/// <param name="CreatedAt">When the deployment was created; the newest <c>PRIMARY</c> wins if there are several.</param>
/// <param name="UpdatedAt">When the deployment last changed; the reconcile step sets it to
/// <see cref="ReconcileInput.Now"/> whenever it changes the deployment.</param>
public sealed record DeploymentState(
    string Id,
    string TaskDefinitionArn,
    string Status,
    string RolloutState,
    string? RolloutStateReason,
    int FailedTasks,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
