using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// <c>binpack</c> on <c>cpu</c> or <c>memory</c>: prefers the candidate with the least of that resource left after
/// the task is placed, so instances fill up one after another.
/// </summary>
internal sealed class BinpackRanker(bool onCpu, int demand) : IRanker
{
    public long[] Score(IReadOnlyList<Candidate> feasible, IReadOnlyList<Candidate> cluster)
    {
        var scores = new long[feasible.Count];
        for (int i = 0; i < feasible.Count; i++)
        {
            Candidate candidate = feasible[i];
            scores[i] = (long)(onCpu ? candidate.RemainingCpu : candidate.RemainingMemory) - demand;
        }

        return scores;
    }
}
