using Gantry.Scheduling.Index;

namespace Gantry.Scheduling;

/// <summary>
/// A cluster's container instances kept for placement, so a placement does not rebuild its view of the cluster: the
/// instances in slots, the count of every task group's tasks per instance, the instances' order by ID, and columns of
/// attribute values built on first use and kept until an instance comes, goes or changes its attributes. Updating
/// one instance (its resources or tasks changed) costs that instance's tasks, not the cluster's.
/// Not thread-safe: the owner serializes <see cref="Set"/>, <see cref="Remove"/> and <see cref="Place"/>.
/// </summary>
public sealed class PlacementIndex
{
    private readonly List<Candidate> _nodes = [];
    private readonly List<NodeFacts> _facts = [];
    private readonly List<Dictionary<string, int>> _groupsOf = [];
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<int, int>> _groups = new(StringComparer.Ordinal);
    private int[] _rank = [];
    private bool _rankStale;

    /// <summary>How many instances the index holds, whatever their status.</summary>
    public int Count => _nodes.Count;

    internal AttributeColumns Attributes { get; } = new();

    /// <summary>An index of the given instances, in their order (a later duplicate ID replaces an earlier one).</summary>
    public static PlacementIndex Of(IEnumerable<Candidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var index = new PlacementIndex();
        foreach (Candidate candidate in candidates)
        {
            if (candidate is not null)
            {
                index.Set(candidate);
            }
        }

        return index;
    }

    /// <summary>The instance with this ID, if the index holds it.</summary>
    public Candidate? Get(string instanceId) => _slots.TryGetValue(instanceId, out int slot) ? _nodes[slot] : null;

    /// <summary>Adds an instance or replaces the one with its ID.</summary>
    public void Set(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Dictionary<string, int> groups = CountGroups(candidate.Tasks);
        if (_slots.TryGetValue(candidate.InstanceId, out int slot))
        {
            Candidate old = _nodes[slot];
            if (!SameAttributes(old.Attributes, candidate.Attributes))
            {
                Attributes.Clear();
            }

            MoveGroups(slot, _groupsOf[slot], groups);
            _nodes[slot] = candidate;
            _facts[slot] = NodeFacts.Of(candidate);
            _groupsOf[slot] = groups;
            return;
        }

        slot = _nodes.Count;
        _slots[candidate.InstanceId] = slot;
        _nodes.Add(candidate);
        _facts.Add(NodeFacts.Of(candidate));
        _groupsOf.Add([]);
        MoveGroups(slot, [], groups);
        _groupsOf[slot] = groups;
        Attributes.Clear();
        _rankStale = true;
    }

    /// <summary>Forgets an instance; false when the index did not hold it.</summary>
    public bool Remove(string instanceId)
    {
        if (!_slots.Remove(instanceId, out int slot))
        {
            return false;
        }

        MoveGroups(slot, _groupsOf[slot], []);
        int last = _nodes.Count - 1;
        if (slot != last)
        {
            Candidate moved = _nodes[last];
            Dictionary<string, int> movedGroups = _groupsOf[last];
            MoveGroups(last, movedGroups, []);
            _nodes[slot] = moved;
            _facts[slot] = _facts[last];
            _groupsOf[slot] = movedGroups;
            MoveGroups(slot, [], movedGroups);
            _slots[moved.InstanceId] = slot;
        }

        _nodes.RemoveAt(last);
        _facts.RemoveAt(last);
        _groupsOf.RemoveAt(last);
        Attributes.Clear();
        _rankStale = true;
        return true;
    }

    /// <summary>
    /// Places <paramref name="count"/> tasks, exactly as <see cref="Placement.Place"/> describes, on the instances of
    /// the index; the index itself is not changed (the caller stores the placement and updates the instances).
    /// </summary>
    /// <exception cref="ArgumentException">An invalid constraint or strategy (see <see cref="Placement.Place"/>).</exception>
    /// <exception cref="ClusterQueryException">A <c>memberOf</c> expression is missing or invalid.</exception>
    public PlacementResult Place(TaskDemand demand, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new PlacementRun(this, demand, random).Place(count);
    }

    internal IReadOnlyList<Candidate> Nodes => _nodes;

    /// <summary>Per slot, what every placement tests first, kept dense so a pass over the cluster stays in cache.</summary>
    internal ReadOnlySpan<NodeFacts> Facts => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_facts);

    /// <summary>Each slot's position in ordinal <c>InstanceId</c> order: the final tie-break.</summary>
    internal int[] Ranks
    {
        get
        {
            if (_rankStale || _rank.Length != _nodes.Count)
            {
                int[] order = [.. Enumerable.Range(0, _nodes.Count).OrderBy(i => _nodes[i].InstanceId, StringComparer.Ordinal)];
                _rank = new int[order.Length];
                for (int position = 0; position < order.Length; position++)
                {
                    _rank[order[position]] = position;
                }

                _rankStale = false;
            }

            return _rank;
        }
    }

    /// <summary>The slots holding tasks of a group, with how many each holds; null when none does.</summary>
    internal Dictionary<int, int>? TasksOf(string group) => _groups.GetValueOrDefault(group);

    private void MoveGroups(int slot, Dictionary<string, int> before, Dictionary<string, int> after)
    {
        foreach ((string group, int _) in before)
        {
            if (!after.ContainsKey(group) && _groups.TryGetValue(group, out Dictionary<int, int>? slots))
            {
                slots.Remove(slot);
                if (slots.Count == 0)
                {
                    _groups.Remove(group);
                }
            }
        }

        foreach ((string group, int tasks) in after)
        {
            if (!_groups.TryGetValue(group, out Dictionary<int, int>? slots))
            {
                slots = [];
                _groups[group] = slots;
            }

            slots[slot] = tasks;
        }
    }

    private static Dictionary<string, int> CountGroups(IReadOnlyList<PlacedTask> tasks)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (PlacedTask task in tasks)
        {
            counts[task.Group] = counts.GetValueOrDefault(task.Group) + 1;
        }

        return counts;
    }

    private static bool SameAttributes(IReadOnlyDictionary<string, string?> a, IReadOnlyDictionary<string, string?> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach ((string name, string? value) in a)
        {
            if (!b.TryGetValue(name, out string? other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
