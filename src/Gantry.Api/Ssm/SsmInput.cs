using System.Globalization;
using Gantry.Secrets;
using Gantry.Secrets.Parameters;

namespace Gantry.Api.Ssm;

/// <summary>The model's constraints on Parameter Store requests (ValidationException naming the member) and offset paging.</summary>
public static class SsmInput
{
    public static int PageSize(int? maxResults, int max) =>
        maxResults switch
        {
            null => max,
            >= 1 when maxResults <= max => maxResults.Value,
            _ => throw ParameterErrors.Validation($"1 validation error detected: Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {max}."),
        };

    public static IReadOnlyList<string> Labels(IReadOnlyList<string>? labels) =>
        Strings(labels, "Labels") is { Count: >= 1 and <= 10 } ? labels! : throw ParameterErrors.Validation("Labels must list 1 to 10 labels.");

    /// <summary>Names (GetParameters, DeleteParameters): 1 to 10, none null.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string>? names) =>
        Strings(names, "Names") is { Count: >= 1 and <= 10 } ? names! : throw ParameterErrors.Validation("Names must list 1 to 10 parameter names.");

    /// <summary>A list of strings without null entries (null stays null).</summary>
    public static IReadOnlyList<string>? Strings(IReadOnlyList<string>? values, string member) =>
        values is null || values.All(v => v is not null) ? values : throw ParameterErrors.Validation($"{member} can't hold a null entry.");

    public static int Offset(string? nextToken, int count) => PageTokens.ReadOffset(nextToken, count) ?? throw ParameterErrors.InvalidNextToken();
}
