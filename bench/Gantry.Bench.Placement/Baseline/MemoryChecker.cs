using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>Rejects instances with less unreserved memory than the task needs.</summary>
internal sealed class MemoryChecker(int memory) : IFeasibilityChecker
{
    public string? Check(Candidate candidate) => candidate.RemainingMemory >= memory ? null : PlacementFailureReasons.Memory;
}
