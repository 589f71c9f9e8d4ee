namespace Gantry.Scheduling.Capacity;

/// <summary>
/// Which capacity provider each task of a group (a service, or one RunTask) goes to, as ECS splits a capacity provider
/// strategy: the one item with a base gets the first <c>base</c> tasks, the rest are shared in proportion to the
/// weights (1:4 → one task of every five on the first), weight 0 is never used beyond its base.
/// <para>
/// The rounding rule is the highest-averages (D'Hondt) method, applied one task at a time: a task beyond the base goes to
/// the provider with the highest <c>weight / (tasks it runs beyond its base + 1)</c>; on a tie, to the higher weight,
/// then to the earlier strategy item. So FARGATE base 1 weight 1 + FARGATE_SPOT weight 3 with 4 tasks lands 1+3
/// (after the base: SPOT 3/1, SPOT 3/2, then FARGATE 1/1 ties SPOT 3/3 and SPOT has the higher weight), and at every
/// multiple of the weights' sum the split is exact. The method is house-monotone: growing from n to n+1 tasks adds
/// exactly one task and moves none, so scaling up one task at a time and scaling out in one go agree.
/// </para>
/// <para>
/// Scale-in is the exact reverse (<see cref="Remove"/>): tasks on providers outside the strategy go first, then the task
/// D'Hondt placed last (lowest <c>weight / tasks beyond base</c>; ties to the lower weight, then the later item), and
/// the base last. Removing from the split of n tasks gives the split of n - 1.
/// </para>
/// Counts describe the group only (its running and pending tasks per provider); the functions are pure.
/// </summary>
public static class CapacityProviderSplit
{
    /// <summary>The provider of each of <paramref name="count"/> new tasks, in order, given what the group already runs
    /// on each provider (providers it does not mention run none).</summary>
    public static IReadOnlyList<string> Place(IReadOnlyList<CapacityShare> strategy, IReadOnlyDictionary<string, int> running, int count)
    {
        Check(strategy);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!strategy.Any(s => s.Weight > 0))
        {
            throw new ArgumentException("A strategy needs at least one provider with a weight greater than zero.", nameof(strategy));
        }
        var counts = strategy.ToDictionary(s => s.Provider, s => running.GetValueOrDefault(s.Provider), StringComparer.Ordinal);
        var placed = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var next = BelowBase(strategy, counts) ?? HighestAverage(strategy, counts);
            counts[next.Provider]++;
            placed.Add(next.Provider);
        }
        return placed;
    }

    /// <summary>The provider to take each of <paramref name="count"/> tasks from when the group shrinks, in order. Stops
    /// early when the group runs no more tasks.</summary>
    public static IReadOnlyList<string> Remove(IReadOnlyList<CapacityShare> strategy, IReadOnlyDictionary<string, int> running, int count)
    {
        Check(strategy);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var counts = running.Where(r => r.Value > 0).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var removed = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var next = Outsider(strategy, counts) ?? LowestAverage(strategy, counts) ?? InBase(strategy, counts);
            if (next is null)
            {
                break;
            }
            counts[next]--;
            removed.Add(next);
        }
        return removed;
    }

    /// <summary>How <paramref name="total"/> tasks split over the strategy when placed from nothing.</summary>
    public static IReadOnlyDictionary<string, int> Distribute(IReadOnlyList<CapacityShare> strategy, int total)
    {
        var counts = strategy.ToDictionary(s => s.Provider, _ => 0, StringComparer.Ordinal);
        foreach (var provider in Place(strategy, counts, total))
        {
            counts[provider]++;
        }
        return counts;
    }

    private static void Check(IReadOnlyList<CapacityShare> strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.Count == 0)
        {
            throw new ArgumentException("A strategy needs at least one provider.", nameof(strategy));
        }
        if (strategy.Select(s => s.Provider).Distinct(StringComparer.Ordinal).Count() != strategy.Count)
        {
            throw new ArgumentException("A strategy names each provider at most once.", nameof(strategy));
        }
        if (strategy.Any(s => s.Base < 0 || s.Weight < 0) || strategy.Count(s => s.Base > 0) > 1)
        {
            throw new ArgumentException("Bases and weights are not negative and at most one item has a base.", nameof(strategy));
        }
    }

    private static CapacityShare? BelowBase(IReadOnlyList<CapacityShare> strategy, Dictionary<string, int> counts) =>
        strategy.FirstOrDefault(s => s.Base > 0 && counts[s.Provider] < s.Base);

    /// <summary>Tasks a provider runs beyond its base.</summary>
    private static int Beyond(CapacityShare share, Dictionary<string, int> counts) =>
        Math.Max(0, counts.GetValueOrDefault(share.Provider) - share.Base);

    private static CapacityShare HighestAverage(IReadOnlyList<CapacityShare> strategy, Dictionary<string, int> counts)
    {
        CapacityShare? best = null;
        foreach (var share in strategy.Where(s => s.Weight > 0))
        {
            if (best is null)
            {
                best = share;
                continue;
            }
            // weight / (beyond + 1), compared without division.
            var order = ((long)share.Weight * (Beyond(best, counts) + 1)).CompareTo((long)best.Weight * (Beyond(share, counts) + 1));
            if (order > 0 || (order == 0 && share.Weight > best.Weight))
            {
                best = share;
            }
        }
        return best!;
    }

    /// <summary>The task on a provider the strategy does not name (the one running most first).</summary>
    private static string? Outsider(IReadOnlyList<CapacityShare> strategy, Dictionary<string, int> counts) =>
        counts.Where(c => c.Value > 0 && !strategy.Any(s => s.Provider == c.Key))
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Key).FirstOrDefault();

    private static string? LowestAverage(IReadOnlyList<CapacityShare> strategy, Dictionary<string, int> counts)
    {
        CapacityShare? worst = null;
        foreach (var share in strategy.Where(s => Beyond(s, counts) > 0))
        {
            if (worst is null)
            {
                worst = share;
                continue;
            }
            // weight / beyond, compared without division; ties to the lower weight, then the later item.
            var order = ((long)share.Weight * Beyond(worst, counts)).CompareTo((long)worst.Weight * Beyond(share, counts));
            if (order < 0 || (order == 0 && share.Weight <= worst.Weight))
            {
                worst = share;
            }
        }
        return worst?.Provider;
    }

    private static string? InBase(IReadOnlyList<CapacityShare> strategy, Dictionary<string, int> counts) =>
        strategy.Where(s => counts.GetValueOrDefault(s.Provider) > 0).Select(s => s.Provider).LastOrDefault();
}
