using Gantry.Scheduling;
namespace Gantry.Bench.Placement.Baseline;

/// <summary>
/// <c>spread</c> on <c>instanceId</c>/<c>host</c> or <c>attribute:NAME</c>: groups the cluster's instances by the
/// field's value (instances lacking the attribute share one "no value" bucket) and prefers candidates whose bucket
/// holds the fewest tasks of the demand's group.
/// </summary>
internal sealed class SpreadRanker : IRanker
{
    private readonly string? _attributeName;
    private readonly string _group;

    /// <param name="attributeName">The attribute to spread over, or null for <c>instanceId</c>.</param>
    /// <param name="group">The task group whose tasks are counted.</param>
    public SpreadRanker(string? attributeName, string group)
    {
        _attributeName = attributeName;
        _group = group;
    }

    public long[] Score(IReadOnlyList<Candidate> feasible, IReadOnlyList<Candidate> cluster)
    {
        var counts = new Dictionary<(bool Present, string Value), long>();
        foreach (Candidate candidate in cluster)
        {
            var key = KeyOf(candidate);
            counts[key] = counts.GetValueOrDefault(key) + CountGroupTasks(candidate);
        }

        var scores = new long[feasible.Count];
        for (int i = 0; i < feasible.Count; i++)
        {
            scores[i] = counts.GetValueOrDefault(KeyOf(feasible[i]));
        }

        return scores;
    }

    private (bool Present, string Value) KeyOf(Candidate candidate)
    {
        if (_attributeName is null)
        {
            return (true, candidate.InstanceId);
        }

        return candidate.Attributes.TryGetValue(_attributeName, out string? value)
            ? (true, value ?? string.Empty)
            : (false, string.Empty);
    }

    private long CountGroupTasks(Candidate candidate)
    {
        long count = 0;
        foreach (PlacedTask task in candidate.Tasks)
        {
            if (string.Equals(task.Group, _group, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
