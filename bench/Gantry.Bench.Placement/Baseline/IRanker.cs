using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>One placement strategy as a rank stage: a score per feasible candidate, lower is better.</summary>
internal interface IRanker
{
    /// <summary>Scores the feasible candidates.</summary>
    /// <param name="feasible">The candidates that passed feasibility, in <c>InstanceId</c> ordinal order.</param>
    /// <param name="cluster">Every active candidate, with the tasks placed so far in this call.</param>
    /// <returns>One score per entry of <paramref name="feasible"/>, aligned with it.</returns>
    long[] Score(IReadOnlyList<Candidate> feasible, IReadOnlyList<Candidate> cluster);
}
