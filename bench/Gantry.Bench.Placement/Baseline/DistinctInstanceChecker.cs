using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// <c>distinctInstance</c>: rejects instances already running a task of the same group, including tasks placed
/// earlier in the same call.
/// </summary>
internal sealed class DistinctInstanceChecker(string group) : IFeasibilityChecker
{
    public string? Check(Candidate candidate)
    {
        foreach (PlacedTask task in candidate.Tasks)
        {
            if (string.Equals(task.Group, group, StringComparison.Ordinal))
            {
                return PlacementFailureReasons.DistinctInstance;
            }
        }

        return null;
    }
}
