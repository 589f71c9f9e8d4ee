namespace Gantry.Reconciliation;

/// <summary>What a strategy planner decided.</summary>
/// <param name="Launches">Tasks to start.</param>
/// <param name="Stops">Tasks to stop.</param>
/// <param name="Settled">The live tasks are exactly the desired shape: all of the primary deployment, all healthy,
/// as many as desired, none where they must not stay.</param>
internal sealed record Plan(IReadOnlyList<TaskLaunch> Launches, IReadOnlyList<TaskStop> Stops, bool Settled)
{
    /// <summary>Nothing to do and nothing settled (no primary deployment to plan for).</summary>
    public static Plan Idle { get; } = new([], [], Settled: false);
}
