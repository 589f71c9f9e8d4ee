using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>Cloud Map tags: key 1–128 characters, value 0–256, at most 50 on a resource (TooManyTagsException beyond).</summary>
public static class DiscoveryTags
{
    public const int MaxTags = 50;

    public static IReadOnlyList<DiscoveryTag> Validate(IReadOnlyList<DiscoveryTag>? tags, string field)
    {
        foreach (var tag in tags ?? [])
        {
            if (tag.Key is not { Length: >= 1 and <= 128 })
            {
                throw DiscoveryErrors.InvalidInput($"{field}: a tag key must be 1 to 128 characters long, got '{tag.Key}'.");
            }
            if (tag.Value is not { Length: <= 256 })
            {
                throw DiscoveryErrors.InvalidInput($"{field}: the value of tag '{tag.Key}' must be 0 to 256 characters long.");
            }
        }
        return tags ?? [];
    }

    /// <summary>The tags of <paramref name="arn"/> after <paramref name="added"/> (a key given again takes the new value).</summary>
    public static IReadOnlyList<DiscoveryTag> Merge(string arn, IReadOnlyList<DiscoveryTag> current, IReadOnlyList<DiscoveryTag> added)
    {
        var merged = current.ToList();
        foreach (var tag in added)
        {
            merged.RemoveAll(t => t.Key == tag.Key);
            merged.Add(tag);
        }
        return merged.Count > MaxTags ? throw DiscoveryErrors.TooManyTags(arn) : merged;
    }
}
