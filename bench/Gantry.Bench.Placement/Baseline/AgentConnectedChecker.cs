using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>Rejects instances whose agent is disconnected (<see cref="PlacementFailureReasons.Agent"/>).</summary>
internal sealed class AgentConnectedChecker : IFeasibilityChecker
{
    public string? Check(Candidate candidate) => candidate.Connected ? null : PlacementFailureReasons.Agent;
}
