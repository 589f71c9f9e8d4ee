namespace Gantry.Reconciliation;

/// <summary>The decisions of one reconcile step. The caller applies them and calls again later; the same input gives
/// the same result.</summary>
/// <param name="Launches">Tasks to start.</param>
/// <param name="Stops">Tasks to stop, with their stopped reasons.</param>
/// <param name="Deployments">Every input deployment, updated (rollout state and reason, failed-task count,
/// <c>ACTIVE</c> → <c>INACTIVE</c>); <see cref="DeploymentState.UpdatedAt"/> is <see cref="ReconcileInput.Now"/> on
/// the ones that changed.</param>
/// <param name="NewDeploymentTaskDefinitionArn">Set when the circuit breaker rolls back: start a new <c>PRIMARY</c>
/// deployment of this task definition and make the failed one <c>ACTIVE</c> (it then drains to zero).</param>
/// <param name="Events">Service event messages, oldest first, in ECS's wording. Task starts are the caller's to report
/// (it knows the task IDs); the steady-state message repeats on every steady step, so de-duplicate it.</param>
/// <param name="SteadyState">Whether the service is in a steady state: the primary deployment is <c>COMPLETED</c>,
/// every live task is its and healthy, there are as many as desired, and this step launches and stops nothing.</param>
public sealed record ReconcileResult(
    IReadOnlyList<TaskLaunch> Launches,
    IReadOnlyList<TaskStop> Stops,
    IReadOnlyList<DeploymentState> Deployments,
    string? NewDeploymentTaskDefinitionArn,
    IReadOnlyList<string> Events,
    bool SteadyState)
{
    /// <summary>Tasks to deregister from their target groups and leave running while they drain (see
    /// <see cref="ServiceTask.Draining"/>): stops of tasks with registered targets become drains, with the stop's reason.</summary>
    public IReadOnlyList<TaskStop> Drains { get; init; } = [];
}
