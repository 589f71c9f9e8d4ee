namespace Gantry.Scheduling;

/// <summary>One entry of RunTask's <c>failures</c>: a container instance and why the task could not go there.</summary>
/// <param name="Arn">The container instance ARN; empty for the cluster-level
/// <see cref="PlacementFailureReasons.NoContainerInstances"/> failure (omit <c>arn</c> on the wire then).</param>
/// <param name="Reason">One of the <see cref="PlacementFailureReasons"/> constants.</param>
public sealed record PlacementFailure(string Arn, string Reason);
