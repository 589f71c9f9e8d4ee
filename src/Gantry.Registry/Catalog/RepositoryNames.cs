using System.Text.RegularExpressions;

namespace Gantry.Registry.Catalog;

/// <summary>The grammar of repository names and tags (OCI distribution spec, within ECR's limits).</summary>
public static partial class RepositoryNames
{
    public const int MinLength = 2, MaxLength = 256;

    public static bool IsValid(string? name) =>
        name is { Length: >= MinLength and <= MaxLength } && NamePattern().IsMatch(name);

    public static bool IsValidTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
