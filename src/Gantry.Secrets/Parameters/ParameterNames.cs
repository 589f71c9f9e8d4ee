using System.Text.RegularExpressions;
using Gantry.Domain.Arns;

namespace Gantry.Secrets.Parameters;

/// <summary>
/// Parameter names (§7.4): letters, digits and <c>_.-</c>, hierarchies with <c>/</c> (then a leading <c>/</c>, no empty
/// level, at most 15 levels), never prefixed with <c>aws</c> or <c>ssm</c>, and the ARN
/// <c>arn:&lt;partition&gt;:ssm:&lt;region&gt;:&lt;account&gt;:parameter/&lt;name without leading slash&gt;</c> at most 1011 characters.
/// Selectors: <c>name:version</c> or <c>name:label</c>.
/// </summary>
public sealed partial class ParameterNames(AwsAccount account)
{
    public const int MaxArnLength = 1011;
    public const int MaxLevels = 15;
    private const string InvalidName =
        "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    public string Region => account.Region;

    public string Prefix => $"arn:{account.Partition}:ssm:{account.Region}:{account.AccountId}:parameter/";

    public string Arn(string name) => Prefix + name.TrimStart('/');

    /// <summary>Refuses a name Parameter Store would not take.</summary>
    public void Check(string? name)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw ParameterErrors.Validation(InvalidName);
        }
        var bare = name.TrimStart('/');
        if ((name.Contains('/', StringComparison.Ordinal) && !name.StartsWith('/')) || name.Contains("//", StringComparison.Ordinal) || name.EndsWith('/')
            || bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw ParameterErrors.Validation(InvalidName);
        }
        if (name.Count(c => c == '/') > MaxLevels)
        {
            throw ParameterErrors.HierarchyLevels();
        }
        if (Arn(name).Length > MaxArnLength)
        {
            throw ParameterErrors.Validation($"Parameter name: the parameter's ARN can't be longer than {MaxArnLength} characters.");
        }
    }

    /// <summary>The name a reference (name or ARN of this account and region, with an optional <c>:selector</c>) stands for, with its selector.</summary>
    public (string Name, string? Selector) Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = reference;
        if (reference.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!reference.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return (reference, null);
            }
            var path = reference[Prefix.Length..];
            name = path.Contains('/', StringComparison.Ordinal) ? "/" + path : path;
        }
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (name, null) : (name[..colon], name[colon..]);
    }

    /// <summary>A label LabelParameterVersion takes: 1–100 of <c>a-zA-Z0-9_.-</c>, not starting with a digit, aws or ssm.</summary>
    public static bool ValidLabel(string label) =>
        LabelPattern().IsMatch(label) && !char.IsAsciiDigit(label[0])
        && !label.StartsWith("aws", StringComparison.OrdinalIgnoreCase) && !label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="name"/> lies under <paramref name="path"/>: directly, or at any depth when <paramref name="recursive"/>.</summary>
    public static bool UnderPath(string name, string path, bool recursive)
    {
        var prefix = path.EndsWith('/') ? path : path + "/";
        return name.StartsWith(prefix, StringComparison.Ordinal) && (recursive || !name.AsSpan(prefix.Length).Contains('/'));
    }

    [GeneratedRegex("^[a-zA-Z0-9_.\\-/]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z0-9_.\\-]{1,100}$")]
    private static partial Regex LabelPattern();
}
