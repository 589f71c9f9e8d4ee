using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>Rejects instances with fewer unreserved CPU units than the task needs.</summary>
internal sealed class CpuChecker(int cpu) : IFeasibilityChecker
{
    public string? Check(Candidate candidate) => candidate.RemainingCpu >= cpu ? null : PlacementFailureReasons.Cpu;
}
