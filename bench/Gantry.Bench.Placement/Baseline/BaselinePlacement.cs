using Gantry.Scheduling;

namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// Chooses container instances for tasks, the way ECS places EC2 tasks: feasibility checks (agent, CPU, memory,
/// ports, attributes, constraints), then the placement strategies as a ranking, then select. Pure: no I/O, no clock;
/// randomness comes from the caller.
/// </summary>
internal static class BaselinePlacement
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
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        FeasibilityChain feasibility = FeasibilityChain.For(demand);
        RankingChain ranking = RankingChain.For(demand, random);
        if (count == 0)
        {
            return new PlacementResult([], []);
        }

        Candidate[] originals = [.. candidates.Where(c => c is not null && c.Active)];
        if (originals.Length == 0)
        {
            return new PlacementResult([], [new PlacementFailure(string.Empty, PlacementFailureReasons.NoContainerInstances)]);
        }

        Candidate[] working = [.. originals];
        var chosen = new List<Candidate>(count);
        var feasible = new List<int>(working.Length);
        for (int placed = 0; placed < count; placed++)
        {
            feasible.Clear();
            var failures = new List<PlacementFailure>();
            for (int i = 0; i < working.Length; i++)
            {
                string? reason = feasibility.FirstFailure(working[i]);
                if (reason is null)
                {
                    feasible.Add(i);
                }
                else
                {
                    failures.Add(new PlacementFailure(working[i].InstanceArn, reason));
                }
            }

            if (feasible.Count == 0)
            {
                return new PlacementResult(chosen, failures);
            }

            int best = ranking.Select(feasible, working);
            chosen.Add(originals[best]);
            working[best] = Charge(working[best], demand, placed);
        }

        return new PlacementResult(chosen, []);
    }

    private static Candidate Charge(Candidate candidate, TaskDemand demand, int placed)
    {
        var ports = new HashSet<int>(candidate.UsedTcpPorts);
        ports.UnionWith(demand.StaticTcpPorts ?? []);
        var task = new PlacedTask($"pending-{placed + 1}", demand.Group, demand.Family, TaskDefinitionArn: null);
        return candidate with
        {
            RemainingCpu = candidate.RemainingCpu - demand.Cpu,
            RemainingMemory = candidate.RemainingMemory - demand.Memory,
            UsedTcpPorts = ports,
            Tasks = [.. candidate.Tasks, task],
        };
    }
}
