using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// The feasibility stage: checkers in cost order (agent, CPU, memory, ports, required attributes,
/// <c>distinctInstance</c>, then each <c>memberOf</c> query). The first failing checker names the reason.
/// </summary>
internal sealed class FeasibilityChain
{
    private const string DistinctInstanceType = "distinctInstance";
    private const string MemberOfType = "memberOf";

    private readonly IReadOnlyList<IFeasibilityChecker> _checkers;

    private FeasibilityChain(IReadOnlyList<IFeasibilityChecker> checkers)
    {
        _checkers = checkers;
    }

    /// <summary>Builds the chain for a demand, validating its constraints and parsing every expression.</summary>
    /// <exception cref="ArgumentException">A constraint has an unknown type, or <c>distinctInstance</c> has an expression.</exception>
    /// <exception cref="ClusterQueryException">A <c>memberOf</c> expression is missing or invalid.</exception>
    public static FeasibilityChain For(TaskDemand demand)
    {
        var checkers = new List<IFeasibilityChecker>
        {
            new AgentConnectedChecker(),
            new CpuChecker(demand.Cpu),
            new MemoryChecker(demand.Memory),
        };

        IReadOnlyList<int> ports = demand.StaticTcpPorts ?? [];
        if (ports.Count > 0)
        {
            checkers.Add(new PortsChecker(ports));
        }

        IReadOnlyList<(string Name, string? Value)> required = demand.RequiredAttributes ?? [];
        if (required.Count > 0)
        {
            checkers.Add(new RequiredAttributesChecker(required));
        }

        bool distinct = false;
        var memberOf = new List<IFeasibilityChecker>();
        foreach (PlacementConstraintSpec constraint in demand.Constraints ?? [])
        {
            if (string.Equals(constraint.Type, DistinctInstanceType, StringComparison.OrdinalIgnoreCase))
            {
                if (!string.IsNullOrEmpty(constraint.Expression))
                {
                    throw new ArgumentException(
                        "A distinctInstance placement constraint cannot have an expression.", nameof(demand));
                }

                distinct = true;
            }
            else if (string.Equals(constraint.Type, MemberOfType, StringComparison.OrdinalIgnoreCase))
            {
                memberOf.Add(new MemberOfChecker(ClusterQuery.Parse(constraint.Expression ?? string.Empty)));
            }
            else
            {
                throw new ArgumentException(
                    $"Unknown placement constraint type '{constraint.Type}'; expected distinctInstance or memberOf.",
                    nameof(demand));
            }
        }

        if (distinct)
        {
            checkers.Add(new DistinctInstanceChecker(demand.Group));
        }

        checkers.AddRange(memberOf);
        return new FeasibilityChain(checkers);
    }

    /// <summary>The reason of the first checker that rejects the candidate, or null when all pass.</summary>
    public string? FirstFailure(Candidate candidate)
    {
        foreach (IFeasibilityChecker checker in _checkers)
        {
            string? reason = checker.Check(candidate);
            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }
}
