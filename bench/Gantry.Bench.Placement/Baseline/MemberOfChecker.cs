using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary><c>memberOf</c>: rejects instances for which the cluster query evaluates to false.</summary>
internal sealed class MemberOfChecker(ClusterQuery query) : IFeasibilityChecker
{
    public string? Check(Candidate candidate) => query.Evaluate(candidate) ? null : PlacementFailureReasons.MemberOf;
}
