using System.Text.RegularExpressions;
using Gantry.Iam.Policies;

namespace Gantry.Iam;

/// <summary>IAM's checks of what a request names, with its ValidationError wording.</summary>
public static partial class IamInput
{
    public const string NamePattern = "[\\w+=,.@-]+";
    public const string PathPattern = "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";
    public const int MaxTags = 50;

    /// <summary>A user, group, role or policy name (<paramref name="field"/> as IAM spells it, e.g. <c>userName</c>).</summary>
    public static string Name(string? value, string field, int max = 64)
    {
        if (value is null)
        {
            throw IamErrors.Missing(field);
        }
        if (value.Length > max)
        {
            throw IamErrors.Length(field, value, max);
        }
        return value.Length > 0 && NameRegex().IsMatch(value) ? value : throw IamErrors.Pattern(field, value, NamePattern);
    }

    public static string Path(string? value, string field = "path")
    {
        var path = value ?? "/";
        if (path.Length > 512)
        {
            throw IamErrors.Length(field, path, 512);
        }
        return PathRegex().IsMatch(path) ? path : throw IamErrors.Pattern(field, path, PathPattern);
    }

    /// <summary>A listing's MaxItems: 1–1000, 100 when absent.</summary>
    public static int MaxItems(int? value)
    {
        var max = value ?? 100;
        return max is >= 1 and <= 1000 ? max
            : throw IamErrors.Validation($"1 validation error detected: Value '{max}' at 'maxItems' failed to satisfy constraint: Member must have value "
                + (max < 1 ? "greater than or equal to 1" : "less than or equal to 1000"));
    }

    /// <summary>A policy document, checked as <paramref name="kind"/>; IAM's MalformedPolicyDocument otherwise.</summary>
    public static string Document(string? json, string field, PolicyKind kind, bool requireCurrentVersion = false)
    {
        if (json is null)
        {
            throw IamErrors.Missing(field);
        }
        return PolicyDocument.Validate(json, kind, requireCurrentVersion) is { } error ? throw IamErrors.MalformedPolicy(error) : json;
    }

    /// <summary><paramref name="existing"/> with <paramref name="added"/> set (a key already there takes the new value).</summary>
    public static IReadOnlyList<IamTagValue> Tag(IReadOnlyList<IamTagValue> existing, IReadOnlyList<IamTagValue> added)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(added);
        foreach (var tag in added)
        {
            if (tag.Key.Length is 0 or > 128 || tag.Value.Length > 256)
            {
                throw IamErrors.InvalidInput($"The specified value for tag {tag.Key} is invalid.");
            }
        }
        var result = existing.Where(t => !added.Any(a => a.Key == t.Key)).Concat(added.DistinctBy(t => t.Key)).ToList();
        return result.Count <= MaxTags ? result : throw IamErrors.Limit($"The number of tags has reached the maximum limit of {MaxTags}.");
    }

    public static IReadOnlyList<IamTagValue> Untag(IReadOnlyList<IamTagValue> existing, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(existing);
        return [.. existing.Where(t => !keys.Contains(t.Key))];
    }

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^(/|/[\u0021-\u007E]+/)$")]
    private static partial Regex PathRegex();
}
