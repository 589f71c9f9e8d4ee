namespace Gantry.Scheduling;

/// <summary>The outcome of <see cref="Placement.Place"/>.</summary>
/// <param name="Chosen">One entry per placed task, in placement order: the caller's own <see cref="Candidate"/>
/// object (as passed in) that the task goes to. Shorter than the requested count when placement stopped.</param>
/// <param name="Failures">Empty when every task was placed; otherwise why the next task could not be placed, one
/// entry per active container instance (or one cluster-level entry when there were none).</param>
public sealed record PlacementResult(IReadOnlyList<Candidate> Chosen, IReadOnlyList<PlacementFailure> Failures);
