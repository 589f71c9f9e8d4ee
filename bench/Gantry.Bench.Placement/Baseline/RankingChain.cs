using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// The rank-and-select stage: each strategy scores the feasible candidates; the candidate with the smallest score
/// vector (first strategy most significant) wins, ties going to the smallest <c>InstanceId</c> (ordinal).
/// </summary>
internal sealed class RankingChain
{
    private const string Binpack = "binpack";
    private const string Spread = "spread";
    private const string RandomType = "random";
    private const string AttributePrefix = "attribute:";

    private readonly IReadOnlyList<IRanker> _rankers;

    private RankingChain(IReadOnlyList<IRanker> rankers)
    {
        _rankers = rankers;
    }

    /// <summary>Builds the chain for a demand's strategies (none: <c>random</c>), validating them.</summary>
    /// <exception cref="ArgumentException">Too many strategies, an unknown type, or a field the type does not accept.</exception>
    public static RankingChain For(TaskDemand demand, Random random)
    {
        IReadOnlyList<PlacementStrategySpec> strategies = demand.Strategies ?? [];
        if (strategies.Count > BaselinePlacement.MaxStrategies)
        {
            throw new ArgumentException(
                $"At most {BaselinePlacement.MaxStrategies} placement strategies are allowed; {strategies.Count} were given.",
                nameof(demand));
        }

        var rankers = new List<IRanker>(Math.Max(1, strategies.Count));
        foreach (PlacementStrategySpec strategy in strategies)
        {
            rankers.Add(RankerFor(strategy, demand, random));
        }

        if (rankers.Count == 0)
        {
            rankers.Add(new RandomRanker(random));
        }

        return new RankingChain(rankers);
    }

    /// <summary>Picks the best of the feasible candidates.</summary>
    /// <param name="feasible">Indexes into <paramref name="cluster"/> of the feasible candidates; not empty.</param>
    /// <param name="cluster">Every active candidate, with the tasks placed so far in this call.</param>
    /// <returns>The index into <paramref name="cluster"/> of the chosen candidate.</returns>
    public int Select(IReadOnlyList<int> feasible, IReadOnlyList<Candidate> cluster)
    {
        int[] ordered = [.. feasible.OrderBy(i => cluster[i].InstanceId, StringComparer.Ordinal).ThenBy(i => i)];
        var candidates = new Candidate[ordered.Length];
        for (int i = 0; i < ordered.Length; i++)
        {
            candidates[i] = cluster[ordered[i]];
        }

        var scores = new long[_rankers.Count][];
        for (int r = 0; r < _rankers.Count; r++)
        {
            scores[r] = _rankers[r].Score(candidates, cluster);
        }

        int best = 0;
        for (int i = 1; i < candidates.Length; i++)
        {
            if (IsBetter(scores, i, best))
            {
                best = i;
            }
        }

        return ordered[best];
    }

    private static bool IsBetter(long[][] scores, int challenger, int incumbent)
    {
        foreach (long[] score in scores)
        {
            int comparison = score[challenger].CompareTo(score[incumbent]);
            if (comparison != 0)
            {
                return comparison < 0;
            }
        }

        return false;
    }

    private static IRanker RankerFor(PlacementStrategySpec strategy, TaskDemand demand, Random random)
    {
        string field = strategy.Field ?? string.Empty;
        if (string.Equals(strategy.Type, Binpack, StringComparison.OrdinalIgnoreCase))
        {
            if (string.Equals(field, "cpu", StringComparison.OrdinalIgnoreCase))
            {
                return new BinpackRanker(onCpu: true, demand.Cpu);
            }

            if (string.Equals(field, "memory", StringComparison.OrdinalIgnoreCase))
            {
                return new BinpackRanker(onCpu: false, demand.Memory);
            }

            throw new ArgumentException(
                $"The binpack placement strategy needs field cpu or memory, not '{field}'.", nameof(demand));
        }

        if (string.Equals(strategy.Type, Spread, StringComparison.OrdinalIgnoreCase))
        {
            if (string.Equals(field, "instanceId", StringComparison.OrdinalIgnoreCase)
                || string.Equals(field, "host", StringComparison.OrdinalIgnoreCase))
            {
                return new SpreadRanker(attributeName: null, demand.Group);
            }

            if (field.Length > AttributePrefix.Length && field.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase))
            {
                return new SpreadRanker(field[AttributePrefix.Length..], demand.Group);
            }

            throw new ArgumentException(
                $"The spread placement strategy needs field instanceId, host or attribute:NAME, not '{field}'.",
                nameof(demand));
        }

        if (string.Equals(strategy.Type, RandomType, StringComparison.OrdinalIgnoreCase))
        {
            return new RandomRanker(random);
        }

        throw new ArgumentException(
            $"Unknown placement strategy type '{strategy.Type}'; expected binpack, spread or random.", nameof(demand));
    }
}
