namespace Gantry.Scheduling.Ranking;

/// <summary>What a placement strategy ranks candidates by; a lower key is better.</summary>
internal enum RankKind
{
    /// <summary><c>binpack</c> on <c>cpu</c>: the CPU units left (least first).</summary>
    BinpackCpu,

    /// <summary><c>binpack</c> on <c>memory</c>: the MiB left (least first).</summary>
    BinpackMemory,

    /// <summary><c>spread</c> on <c>instanceId</c>/<c>host</c>: the group's tasks on the instance.</summary>
    SpreadInstance,

    /// <summary><c>spread</c> on <c>attribute:NAME</c>: the group's tasks on every active instance with the same value
    /// (instances lacking the attribute share one bucket).</summary>
    SpreadAttribute,

    /// <summary><c>random</c>: a uniform choice among the candidates tied on the strategies before it.</summary>
    Random,
}

/// <summary>One placement strategy, compiled: what it ranks by and, for an attribute spread, which attribute.</summary>
internal sealed record RankLevel(RankKind Kind, string? Attribute = null)
{
    /// <summary>Whether the key can only improve (or stay) for the instance that was just charged a task, so the
    /// best candidate stays best after its placement: binpack's keys shrink, spread's grow.</summary>
    public bool ImprovesWhenCharged => Kind is RankKind.BinpackCpu or RankKind.BinpackMemory;
}
