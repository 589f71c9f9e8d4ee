using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>
/// A Fargate Spot interruption as ECS reports it: the node is reclaimed with a two-minute warning, its containers get
/// their stop signal (SIGTERM) and SIGKILL after their stopTimeout (at most the warning), and each task stops with
/// stopCode <c>SpotInterruption</c> and AWS's stoppedReason.
/// </summary>
public static class SpotInterruption
{
    public const string StopCode = TaskStopCodeValues.SpotInterruption;

    /// <summary>AWS's stoppedReason of an interrupted Spot task (and of its TerminationNotice warning).</summary>
    public const string Reason = "Your Spot Task was interrupted.";

    /// <summary>How long a reclaimed Spot node's tasks have between SIGTERM and the end.</summary>
    public static readonly TimeSpan Warning = TimeSpan.FromMinutes(2);

    /// <summary>A container's stop timeout under an interruption: its own, never past the warning.</summary>
    public static TimeSpan Cap(TimeSpan stopTimeout) => stopTimeout > Warning ? Warning : stopTimeout;
}
