using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// <c>random</c>: a fresh random score per candidate and placement, drawn from the injected <see cref="Random"/> in
/// <c>InstanceId</c> order, so a seeded source gives the same placements every time.
/// </summary>
internal sealed class RandomRanker(Random random) : IRanker
{
    public long[] Score(IReadOnlyList<Candidate> feasible, IReadOnlyList<Candidate> cluster)
    {
        var scores = new long[feasible.Count];
        for (int i = 0; i < feasible.Count; i++)
        {
            scores[i] = random.NextInt64();
        }

        return scores;
    }
}
