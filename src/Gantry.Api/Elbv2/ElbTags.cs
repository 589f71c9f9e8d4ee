using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>ELB's tag rules: at most 50 per resource, each key once, keys 1–128 characters, values up to 256.</summary>
public static class ElbTags
{
    public const int MaxPerResource = 50;

    /// <summary>The tags a create request carries, validated (none: empty).</summary>
    public static IReadOnlyList<ElbTag> Validate(IReadOnlyList<ElbTag>? tags, string field = "tags")
    {
        if (tags is null)
        {
            return [];
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var key = tags[i].Key;
            if (string.IsNullOrEmpty(key))
            {
                throw ElbErrors.Missing($"{field}.{i + 1}.member.key");
            }
            if (key.Length > 128)
            {
                throw ElbErrors.Constraint(key, $"{field}.{i + 1}.member.key", "Member must have length less than or equal to 128");
            }
            if (tags[i].Value is { Length: > 256 } value)
            {
                throw ElbErrors.Constraint(value, $"{field}.{i + 1}.member.value", "Member must have length less than or equal to 256");
            }
            if (!seen.Add(key))
            {
                throw ElbErrors.DuplicateTagKeys(key);
            }
        }
        if (tags.Count > MaxPerResource)
        {
            throw ElbErrors.Constraint("[...]", field, $"Member must have length less than or equal to {MaxPerResource}");
        }
        return [.. tags.Select(t => new ElbTag { Key = t.Key, Value = t.Value ?? "" })];
    }

    /// <summary><paramref name="current"/> with <paramref name="added"/> set (a key already there takes the new value); TooManyTags past 50.</summary>
    public static IReadOnlyList<ElbTag> Add(IReadOnlyList<ElbTag> current, IReadOnlyList<ElbTag> added, string arn)
    {
        var merged = current.ToDictionary(t => t.Key!, t => t.Value ?? "", StringComparer.Ordinal);
        foreach (var tag in added)
        {
            merged[tag.Key!] = tag.Value ?? "";
        }
        if (merged.Count > MaxPerResource)
        {
            throw ElbErrors.TooManyTags(arn);
        }
        return [.. current.Select(t => t.Key!).Concat(added.Select(t => t.Key!)).Distinct(StringComparer.Ordinal)
            .Select(k => new ElbTag { Key = k, Value = merged[k] })];
    }

    public static IReadOnlyList<ElbTag> Remove(IReadOnlyList<ElbTag> current, IReadOnlyList<string> keys) =>
        [.. current.Where(t => !keys.Contains(t.Key!, StringComparer.Ordinal))];
}
