using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Gantry.Api.Authorization;

/// <summary>
/// The tags a request asks to set (aws:RequestTag/*) and the tag keys it names (aws:TagKeys), read from its
/// <c>Tags</c> member (a list of Key/Value records, or a map as CloudWatch Logs has) and its <c>TagKeys</c> member.
/// The members are found once per request type.
/// </summary>
public static class RequestTags
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo? Tags, PropertyInfo? TagKeys)> Members = new();

    /// <summary>The request's tags, and the keys it names (its tags' keys, or its TagKeys).</summary>
    public static (IReadOnlyList<KeyValuePair<string, string>> Tags, IReadOnlyList<string> Keys) Of(object input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (tagsMember, keysMember) = Members.GetOrAdd(input.GetType(), type => (
            type.GetProperty("Tags", BindingFlags.Public | BindingFlags.Instance),
            type.GetProperty("TagKeys", BindingFlags.Public | BindingFlags.Instance)));
        var tags = new List<KeyValuePair<string, string>>();
        switch (tagsMember?.GetValue(input))
        {
            case IReadOnlyDictionary<string, string> map:
                tags.AddRange(map);
                break;
            case IEnumerable list:
                foreach (var tag in list)
                {
                    if (tag is not null && Text(tag, "Key") is { } key)
                    {
                        tags.Add(new(key, Text(tag, "Value") ?? ""));
                    }
                }
                break;
        }
        IReadOnlyList<string> keys = keysMember?.GetValue(input) is IEnumerable<string> named ? [.. named] : [.. tags.Select(t => t.Key)];
        return (tags, keys);
    }

    private static string? Text(object tag, string member) =>
        tag.GetType().GetProperty(member, BindingFlags.Public | BindingFlags.Instance)?.GetValue(tag) as string;
}
