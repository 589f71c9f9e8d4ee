namespace Gantry.Reconciliation;

/// <summary>A task to stop: set its desired status to <c>STOPPED</c> with this stopped reason.</summary>
/// <param name="TaskId">The task to stop.</param>
/// <param name="Reason">The task's <c>stoppedReason</c>.</param>
public sealed record TaskStop(string TaskId, string Reason);
