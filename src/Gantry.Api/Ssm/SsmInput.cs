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
        labels is { Count: >= 1 and <= 10 } ? labels : throw ParameterErrors.Validation("Labels must list 1 to 10 labels.");

    public static int Offset(string? nextToken, int count) => PageTokens.ReadOffset(nextToken, count) ?? throw ParameterErrors.InvalidNextToken();
}
