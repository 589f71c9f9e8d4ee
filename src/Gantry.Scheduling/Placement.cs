namespace Gantry.Scheduling;

/// <summary>
/// Chooses container instances for tasks, the way ECS places EC2 tasks: feasibility checks (agent, CPU, memory,
/// ports, attributes, constraints), then the placement strategies as a ranking, then select. Pure: no I/O, no clock;
/// randomness comes from the caller.
/// </summary>
public static class Placement
{
    /// <summary>The most placement strategies a task may have (ECS limit).</summary>
    public const int MaxStrategies = 5;

    /// <summary>
    /// Places <paramref name="count"/> tasks one at a time. After each placement a working copy of the chosen
    /// candidate is charged the task's CPU, memory and ports and gains the task, so later placements in the same call
    /// see it (binpack, spread, <c>distinctInstance</c>, <c>task:group</c>). Placement stops at the first task that
    /// fits nowhere, reporting one failure per active instance with the reason of the first check it failed.
    /// </summary>
    /// <param name="demand">What each task needs, and its constraints and strategies.</param>
    /// <param name="count">How many tasks to place.</param>
    /// <param name="candidates">The cluster's container instances; inactive ones are ignored.</param>
    /// <param name="random">The source for the <c>random</c> strategy (also the default when no strategy is given).</param>
    /// <exception cref="ArgumentException">An unknown constraint or strategy type, a field the strategy does not accept,
    /// more than <see cref="MaxStrategies"/> strategies, or an expression on <c>distinctInstance</c>.</exception>
    /// <exception cref="ClusterQueryException">A <c>memberOf</c> expression is missing or invalid.</exception>
    public static PlacementResult Place(TaskDemand demand, int count, IReadOnlyList<Candidate> candidates, Random random)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return PlacementIndex.Of(candidates).Place(demand, count, random);
    }
}
