using System.Globalization;
using Gantry.Domain.SecretsManager;
using Gantry.Secrets;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Api.SecretsManager;

/// <summary>Wire conversions and the model's constraints on Secrets Manager requests (InvalidParameterException naming the member).</summary>
public static class SecretInput
{
    public const int MaxPageSize = 100;

    /// <summary>A list of strings without null entries (null stays null).</summary>
    public static IReadOnlyList<string>? Strings(IReadOnlyList<string>? values, string member) =>
        values is null || values.All(v => v is not null) ? values : throw SecretErrors.Invalid($"{member} can't hold a null entry.");

    public static IReadOnlyList<TagEntry> Tags(IReadOnlyList<SecretTag>? tags) =>
        [.. (tags ?? []).Select(t => new TagEntry((t ?? throw SecretErrors.Invalid("Tags can't hold a null entry.")).Key ?? throw SecretErrors.Invalid("A tag needs a Key."), t.Value ?? ""))];

    public static IReadOnlyList<SecretTag> Wire(IReadOnlyList<TagEntry> tags) => [.. tags.Select(t => new SecretTag { Key = t.Key, Value = t.Value })];

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> VersionIdsToStages(SecretRecord secret) =>
        secret.Versions.Where(v => v.Stages.Count > 0).ToDictionary(v => v.VersionId, v => v.Stages, StringComparer.Ordinal);

    public static int PageSize(int? maxResults) =>
        maxResults switch
        {
            null => MaxPageSize,
            >= 1 and <= MaxPageSize => maxResults.Value,
            _ => throw SecretErrors.Invalid($"MaxResults must be between 1 and {MaxPageSize}."),
        };

    public static int Offset(string? nextToken, int count) => PageTokens.ReadOffset(nextToken, count) ?? throw SecretErrors.InvalidNextToken();
}
