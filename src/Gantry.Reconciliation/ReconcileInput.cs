namespace Gantry.Reconciliation;

/// <summary>Everything one reconcile step looks at: the spec, the service's deployments and tasks, the cluster's
/// container instances and the time.</summary>
/// <param name="Spec">What the service asks for.</param>
/// <param name="Deployments">The service's deployments (any status).</param>
/// <param name="Tasks">The service's tasks: live ones and the stopped ones of current deployments.</param>
/// <param name="Nodes">Every container instance of the cluster.</param>
/// <param name="Now">The time of this step; the only clock the step reads.</param>
/// <param name="DisconnectGrace">How long an instance's agent may stay disconnected before its tasks count as lost
/// and are replaced.</param>
public sealed record ReconcileInput(
    ServiceSpec Spec,
    IReadOnlyList<DeploymentState> Deployments,
    IReadOnlyList<ServiceTask> Tasks,
    IReadOnlyList<ServiceNode> Nodes,
    DateTimeOffset Now,
    TimeSpan DisconnectGrace);
