namespace Gantry.Scheduling.Feasibility;

/// <summary><c>memberOf</c>: rejects instances for which the cluster query evaluates to false.</summary>
internal sealed class MemberOfChecker(ClusterQuery query) : IFeasibilityChecker
{
    public string? Check(Candidate candidate) => query.Evaluate(candidate) ? null : PlacementFailureReasons.MemberOf;
}
