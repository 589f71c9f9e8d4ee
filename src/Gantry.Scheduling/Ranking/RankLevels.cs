namespace Gantry.Scheduling.Ranking;

/// <summary>Validates a demand's placement strategies and compiles them into <see cref="RankLevel"/>s, first strategy
/// most significant; no strategy means <c>random</c>.</summary>
internal static class RankLevels
{
    private const string Binpack = "binpack";
    private const string Spread = "spread";
    private const string RandomType = "random";
    private const string AttributePrefix = "attribute:";

    /// <exception cref="ArgumentException">Too many strategies, an unknown type, or a field the type does not accept.</exception>
    public static IReadOnlyList<RankLevel> For(TaskDemand demand)
    {
        IReadOnlyList<PlacementStrategySpec> strategies = demand.Strategies ?? [];
        if (strategies.Count > Placement.MaxStrategies)
        {
            throw new ArgumentException(
                $"At most {Placement.MaxStrategies} placement strategies are allowed; {strategies.Count} were given.",
                nameof(demand));
        }

        if (strategies.Count == 0)
        {
            return [new RankLevel(RankKind.Random)];
        }

        return [.. strategies.Select(s => LevelOf(s, demand))];
    }

    private static RankLevel LevelOf(PlacementStrategySpec strategy, TaskDemand demand)
    {
        string field = strategy.Field ?? string.Empty;
        if (string.Equals(strategy.Type, Binpack, StringComparison.OrdinalIgnoreCase))
        {
            if (string.Equals(field, "cpu", StringComparison.OrdinalIgnoreCase))
            {
                return new RankLevel(RankKind.BinpackCpu);
            }

            if (string.Equals(field, "memory", StringComparison.OrdinalIgnoreCase))
            {
                return new RankLevel(RankKind.BinpackMemory);
            }

            throw new ArgumentException(
                $"The binpack placement strategy needs field cpu or memory, not '{field}'.", nameof(demand));
        }

        if (string.Equals(strategy.Type, Spread, StringComparison.OrdinalIgnoreCase))
        {
            if (string.Equals(field, "instanceId", StringComparison.OrdinalIgnoreCase)
                || string.Equals(field, "host", StringComparison.OrdinalIgnoreCase))
            {
                return new RankLevel(RankKind.SpreadInstance);
            }

            if (field.Length > AttributePrefix.Length && field.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase))
            {
                return new RankLevel(RankKind.SpreadAttribute, field[AttributePrefix.Length..]);
            }

            throw new ArgumentException(
                $"The spread placement strategy needs field instanceId, host or attribute:NAME, not '{field}'.",
                nameof(demand));
        }

        if (string.Equals(strategy.Type, RandomType, StringComparison.OrdinalIgnoreCase))
        {
            return new RankLevel(RankKind.Random);
        }

        throw new ArgumentException(
            $"Unknown placement strategy type '{strategy.Type}'; expected binpack, spread or random.", nameof(demand));
    }
}
