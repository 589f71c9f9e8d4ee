using Gantry.Scheduling.Feasibility;
using Gantry.Scheduling.Ranking;

namespace Gantry.Scheduling.Index;

/// <summary>
/// One placement call over a <see cref="PlacementIndex"/>. Every instance is tested once; afterwards only the
/// instance that just took a task changes, so only it is tested again. Feasible instances are kept in partitions —
/// the buckets of the first strategy when it spreads over an attribute, else one — each with its best candidate
/// cached: a placement compares the partitions' bests (a handful) and rescans only the partition whose member took
/// the task, and not even that when the remaining strategies are binpack (the charged instance only gets better).
/// The result is exactly the lexicographic minimum of the strategies' keys, ties to the smallest <c>InstanceId</c>;
/// <c>random</c> chooses uniformly among the candidates tied on the strategies before it.
/// </summary>
internal sealed class PlacementRun
{
    private readonly PlacementIndex _index;
    private readonly TaskDemand _demand;
    private readonly Random _random;
    private readonly IReadOnlyList<Candidate> _nodes;
    private readonly FeasibilityChain _feasibility;
    private readonly RankLevel[] _levels;
    private readonly int _randomLevel;
    private readonly int[] _ports;
    private readonly IFeasibilityChecker[] _memberOf;
    private readonly Dictionary<int, Candidate> _charged = [];
    private int[] _rank = [];
    private int[] _cpu = [];
    private int[] _memory = [];
    private int[] _groupTasks = [];
    private int[][] _bucketOf = [];
    private long[][] _bucketTasks = [];
    private int[] _partitionOf = [];
    private int[] _position = [];
    private List<int>[] _members = [];
    private int[] _best = [];
    private bool[] _dirty = [];
    private bool _chargedStaysBest;

    public PlacementRun(PlacementIndex index, TaskDemand demand, Random random)
    {
        _index = index;
        _demand = demand;
        _random = random;
        _nodes = index.Nodes;
        _feasibility = FeasibilityChain.For(demand);
        _levels = [.. RankLevels.For(demand)];
        _randomLevel = Array.FindIndex(_levels, l => l.Kind == RankKind.Random);
        _ports = [.. _feasibility.Ports];
        _memberOf = [.. _feasibility.MemberOf];
    }

    public PlacementResult Place(int count)
    {
        if (count == 0)
        {
            return new PlacementResult([], []);
        }

        if (!Prepare())
        {
            return new PlacementResult([], [new PlacementFailure(string.Empty, PlacementFailureReasons.NoContainerInstances)]);
        }

        var chosen = new List<Candidate>(count);
        for (int placed = 0; placed < count; placed++)
        {
            int slot = Select();
            if (slot < 0)
            {
                return new PlacementResult(chosen, Failures());
            }

            chosen.Add(_nodes[slot]);
            Charge(slot, placed);
        }

        return new PlacementResult(chosen, []);
    }

    /// <summary>Tests every active instance once and fills the partitions; false when no instance is active.</summary>
    private bool Prepare()
    {
        int n = _nodes.Count;
        _rank = _index.Ranks;
        _cpu = new int[n];
        _memory = new int[n];
        _groupTasks = new int[n];
        foreach ((int slot, int tasks) in _index.TasksOf(_demand.Group) ?? [])
        {
            _groupTasks[slot] = tasks;
        }

        _bucketOf = new int[_levels.Length][];
        _bucketTasks = new long[_levels.Length][];
        for (int level = 0; level < _levels.Length; level++)
        {
            if (_levels[level] is { Kind: RankKind.SpreadAttribute, Attribute: { } attribute })
            {
                AttributeBuckets buckets = _index.Attributes.Buckets(_nodes, attribute);
                _bucketOf[level] = buckets.BucketOf;
                _bucketTasks[level] = new long[buckets.Count];
                foreach ((int slot, int tasks) in _index.TasksOf(_demand.Group) ?? [])
                {
                    if (_nodes[slot].Active)
                    {
                        _bucketTasks[level][buckets.BucketOf[slot]] += tasks;
                    }
                }
            }
        }

        bool partitioned = _randomLevel < 0 && _levels[0].Kind == RankKind.SpreadAttribute;
        int partitions = partitioned ? _bucketTasks[0].Length : 1;
        _partitionOf = partitioned ? _bucketOf[0] : new int[n];
        _members = new List<int>[partitions];
        for (int p = 0; p < partitions; p++)
        {
            _members[p] = [];
        }

        _best = new int[partitions];
        _dirty = new bool[partitions];
        Array.Fill(_dirty, true);
        _position = new int[n];
        _chargedStaysBest = _levels.Skip(partitioned ? 1 : 0).All(l => l.ImprovesWhenCharged);

        bool[][] required = [.. _feasibility.RequiredAttributes.Select(r => _index.Attributes.Requirement(_nodes, r.Name, r.Value))];
        bool portsPossible = _ports.Distinct().Count() == _ports.Length;
        bool anyActive = false;
        ReadOnlySpan<NodeFacts> facts = _index.Facts;
        for (int slot = 0; slot < n; slot++)
        {
            NodeFacts node = facts[slot];
            _position[slot] = -1;
            if (!node.Active)
            {
                continue;
            }

            anyActive = true;
            _cpu[slot] = node.Cpu;
            _memory[slot] = node.Memory;
            if (portsPossible && Feasible(slot, node, required))
            {
                List<int> members = _members[_partitionOf[slot]];
                _position[slot] = members.Count;
                members.Add(slot);
            }
        }

        return anyActive;
    }

    private bool Feasible(int slot, NodeFacts node, bool[][] required)
    {
        if (!node.Connected || node.Cpu < _demand.Cpu || node.Memory < _demand.Memory)
        {
            return false;
        }

        foreach (int port in _ports)
        {
            if (_nodes[slot].UsedTcpPorts.Contains(port))
            {
                return false;
            }
        }

        foreach (bool[] column in required)
        {
            if (!column[slot])
            {
                return false;
            }
        }

        if (_feasibility.DistinctInstance && _groupTasks[slot] > 0)
        {
            return false;
        }

        foreach (IFeasibilityChecker memberOf in _memberOf)
        {
            if (memberOf.Check(_nodes[slot]) is not null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The best feasible slot, or -1 when none is left.</summary>
    private int Select()
    {
        if (_randomLevel == 0)
        {
            List<int> all = _members[0];
            return all.Count == 0 ? -1 : all[_random.Next(all.Count)];
        }

        if (_randomLevel > 0)
        {
            return ScanWithRandomTies(_members[0]);
        }

        int best = -1;
        for (int p = 0; p < _members.Length; p++)
        {
            if (_members[p].Count == 0)
            {
                continue;
            }

            if (_dirty[p])
            {
                _best[p] = Scan(_members[p]);
                _dirty[p] = false;
            }

            if (best < 0 || Compare(_best[p], best, _levels.Length) < 0)
            {
                best = _best[p];
            }
        }

        return best;
    }

    private int Scan(List<int> members)
    {
        int best = members[0];
        for (int i = 1; i < members.Count; i++)
        {
            if (Compare(members[i], best, _levels.Length) < 0)
            {
                best = members[i];
            }
        }

        return best;
    }

    /// <summary>The best by the strategies before <c>random</c>; ties among them chosen uniformly (reservoir sampling).</summary>
    private int ScanWithRandomTies(List<int> members)
    {
        int best = -1;
        int ties = 0;
        foreach (int slot in members)
        {
            int comparison = best < 0 ? -1 : Compare(slot, best, _randomLevel);
            if (comparison < 0)
            {
                best = slot;
                ties = 1;
            }
            else if (comparison == 0 && _random.Next(++ties) == 0)
            {
                best = slot;
            }
        }

        return best;
    }

    /// <summary>Compares two slots on the first <paramref name="levels"/> strategies; with all of them, ties go to the
    /// smaller <c>InstanceId</c>.</summary>
    private int Compare(int a, int b, int levels)
    {
        for (int level = 0; level < levels; level++)
        {
            long ka = Key(level, a);
            long kb = Key(level, b);
            if (ka != kb)
            {
                return ka < kb ? -1 : 1;
            }
        }

        return levels == _levels.Length ? _rank[a].CompareTo(_rank[b]) : 0;
    }

    private long Key(int level, int slot) => _levels[level].Kind switch
    {
        RankKind.BinpackCpu => _cpu[slot],
        RankKind.BinpackMemory => _memory[slot],
        RankKind.SpreadInstance => _groupTasks[slot],
        _ => _bucketTasks[level][_bucketOf[level][slot]],
    };

    /// <summary>Charges the chosen instance the task, tests it again, and marks what the change can reorder.</summary>
    private void Charge(int slot, int placed)
    {
        Candidate working = (_charged.GetValueOrDefault(slot) ?? _nodes[slot]).Charged(_demand, $"pending-{placed + 1}");
        _charged[slot] = working;
        _cpu[slot] -= _demand.Cpu;
        _memory[slot] -= _demand.Memory;
        _groupTasks[slot]++;
        bool spreadElsewhere = false;
        for (int level = 0; level < _levels.Length; level++)
        {
            if (_levels[level].Kind == RankKind.SpreadAttribute)
            {
                _bucketTasks[level][_bucketOf[level][slot]]++;
                spreadElsewhere |= level > 0 || _members.Length == 1; // level 0's buckets are the partitions: compared afresh
            }
        }

        int partition = _partitionOf[slot];
        bool feasible = _feasibility.FirstFailure(working) is null;
        if (!feasible)
        {
            RemoveMember(partition, slot);
        }

        if (spreadElsewhere)
        {
            Array.Fill(_dirty, true);
        }
        else if (!feasible || !_chargedStaysBest)
        {
            _dirty[partition] = true;
        }
    }

    private void RemoveMember(int partition, int slot)
    {
        List<int> members = _members[partition];
        int position = _position[slot];
        int last = members[^1];
        members[position] = last;
        _position[last] = position;
        members.RemoveAt(members.Count - 1);
        _position[slot] = -1;
    }

    /// <summary>Why the next task fits nowhere: the first failing check of every active instance, as it stands now.</summary>
    private List<PlacementFailure> Failures()
    {
        var failures = new List<PlacementFailure>();
        for (int slot = 0; slot < _nodes.Count; slot++)
        {
            Candidate node = _charged.GetValueOrDefault(slot) ?? _nodes[slot];
            if (node.Active && _feasibility.FirstFailure(node) is { } reason)
            {
                failures.Add(new PlacementFailure(node.InstanceArn, reason));
            }
        }

        return failures;
    }
}
