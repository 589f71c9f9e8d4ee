using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.Logs;

namespace Gantry.Api.Logs;

/// <summary>The Logs API's input rules shared by its operations: names, identifiers, limits, retention values.</summary>
internal static class LogsRequests
{
    /// <summary>The retention periods PutRetentionPolicy accepts (days).</summary>
    public static readonly IReadOnlySet<int> RetentionDays = new HashSet<int>
    {
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    };

    /// <summary>The group an operation names with exactly one of logGroupName and logGroupIdentifier (a name or an ARN).</summary>
    public static string Group(string? name, string? identifier, LogsArns arns)
    {
        if (name is not null && identifier is not null)
        {
            throw LogsErrors.InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (identifier is not null)
        {
            var resolved = arns.GroupName(identifier) ?? throw LogsErrors.GroupNotFound();
            return LogNames.GroupName(resolved, "logGroupIdentifier");
        }
        if (name is null)
        {
            throw LogsErrors.InvalidParameter("Should provide either name or ARN of the log group (logGroupName or logGroupIdentifier).");
        }
        return LogNames.GroupName(name);
    }

    public static int Limit(int? limit, int max, string member = "limit")
    {
        if (limit is null)
        {
            return max;
        }
        if (limit is < 1 || limit > max)
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value '{limit}' at '{member}' failed to satisfy constraint: Member must have value between 1 and {max}");
        }
        return limit.Value;
    }

    public static void NonNegative(long? value, string member)
    {
        if (value < 0)
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have value greater than or equal to 0");
        }
    }

    /// <summary>Runs a store call that reads a client's token; a token the store cannot read is the client's mistake.</summary>
    public static async Task<T> WithTokenAsync<T>(Func<Task<T>> call, string member = "nextToken")
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ArgumentException)
        {
            throw LogsErrors.InvalidParameter($"The specified {member} is invalid.");
        }
    }
}
