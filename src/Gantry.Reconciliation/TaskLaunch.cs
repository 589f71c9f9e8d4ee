namespace Gantry.Reconciliation;

/// <summary>Tasks to start for a deployment.</summary>
/// <param name="DeploymentId">The deployment the tasks belong to (their task definition and <c>startedBy</c>).</param>
/// <param name="Count">How many tasks to start.</param>
/// <param name="InstanceId">For <c>DAEMON</c>, the container instance to start the one task on; for <c>REPLICA</c>,
/// null: the scheduler chooses.</param>
public sealed record TaskLaunch(string DeploymentId, int Count, string? InstanceId);
