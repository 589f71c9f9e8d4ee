using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>ECS tag rules: at most 50, keys 1-128 and values 0-256 characters, the aws: prefix reserved, keys unique.</summary>
public static class EcsTags
{
    public const int MaxTags = 50;

    public static void Validate(IReadOnlyList<Tag>? tags, string field)
    {
        if (tags is null)
        {
            return;
        }
        if (tags.Count > MaxTags)
        {
            throw EcsErrors.InvalidParameter($"{field} can have at most {MaxTags} tags.");
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var key = tags[i].Key;
            if (string.IsNullOrEmpty(key) || key.Length > 128)
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].key must be 1-128 characters.");
            }
            if ((tags[i].Value?.Length ?? 0) > 256)
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].value must be at most 256 characters.");
            }
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].key: the aws: prefix is reserved for AWS use.");
            }
            if (!keys.Add(key))
            {
                throw EcsErrors.InvalidParameter($"{field}[{i}].key '{key}' is duplicated.");
            }
        }
    }

    /// <summary>Adds or replaces tags by key.</summary>
    public static IReadOnlyList<Tag> Merge(IReadOnlyList<Tag>? current, IReadOnlyList<Tag> changes)
    {
        var merged = (current ?? []).Where(t => !changes.Any(c => c.Key == t.Key)).ToList();
        merged.AddRange(changes);
        return merged;
    }

    public static IReadOnlyList<Tag> Remove(IReadOnlyList<Tag>? current, IReadOnlyList<string> keys) =>
        (current ?? []).Where(t => !keys.Contains(t.Key!, StringComparer.Ordinal)).ToList();
}
