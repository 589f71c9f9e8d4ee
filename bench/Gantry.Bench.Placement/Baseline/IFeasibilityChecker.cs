using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>A one-instance predicate: can the task go on this candidate, and if not, why.</summary>
internal interface IFeasibilityChecker
{
    /// <summary>Returns null when the candidate passes, otherwise a <see cref="PlacementFailureReasons"/> constant.</summary>
    string? Check(Candidate candidate);
}
