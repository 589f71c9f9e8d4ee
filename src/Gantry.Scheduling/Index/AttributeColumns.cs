namespace Gantry.Scheduling.Index;

/// <summary>
/// Attribute values of every slot of a <see cref="PlacementIndex"/>, computed once per attribute (or requirement) and
/// kept until the index clears them (an instance came, went or changed its attributes): what lets a placement test a
/// required attribute or find an instance's spread bucket without a dictionary lookup per instance.
/// </summary>
internal sealed class AttributeColumns
{
    private const int MaxColumns = 64;

    private readonly Dictionary<(string Name, string? Value), bool[]> _requirements = [];
    private readonly Dictionary<string, AttributeBuckets> _buckets = new(StringComparer.Ordinal);

    public void Clear()
    {
        _requirements.Clear();
        _buckets.Clear();
    }

    /// <summary>Per slot: whether the instance has the attribute (with the value, when one is given).</summary>
    public bool[] Requirement(IReadOnlyList<Candidate> nodes, string name, string? value)
    {
        if (_requirements.TryGetValue((name, value), out bool[]? column))
        {
            return column;
        }

        column = new bool[nodes.Count];
        for (int slot = 0; slot < column.Length; slot++)
        {
            column[slot] = nodes[slot].Attributes.TryGetValue(name, out string? actual)
                && (value is null || string.Equals(value, actual, StringComparison.Ordinal));
        }

        if (_requirements.Count >= MaxColumns)
        {
            _requirements.Clear();
        }

        _requirements[(name, value)] = column;
        return column;
    }

    /// <summary>Per slot: the bucket of the instance's value of the attribute; instances lacking it share one bucket.</summary>
    public AttributeBuckets Buckets(IReadOnlyList<Candidate> nodes, string name)
    {
        if (_buckets.TryGetValue(name, out AttributeBuckets? buckets))
        {
            return buckets;
        }

        var ids = new Dictionary<(bool Present, string Value), int>();
        var bucketOf = new int[nodes.Count];
        for (int slot = 0; slot < bucketOf.Length; slot++)
        {
            (bool, string) key = nodes[slot].Attributes.TryGetValue(name, out string? value) ? (true, value ?? string.Empty) : (false, string.Empty);
            if (!ids.TryGetValue(key, out int id))
            {
                id = ids.Count;
                ids[key] = id;
            }

            bucketOf[slot] = id;
        }

        if (_buckets.Count >= MaxColumns)
        {
            _buckets.Clear();
        }

        buckets = new AttributeBuckets(bucketOf, ids.Count);
        _buckets[name] = buckets;
        return buckets;
    }
}

/// <param name="BucketOf">Per slot, the bucket of its value.</param>
/// <param name="Count">How many buckets there are.</param>
internal sealed record AttributeBuckets(int[] BucketOf, int Count);
