using System.Text.RegularExpressions;
using Gantry.Domain.Errors;

namespace Gantry.Domain.Logs;

/// <summary>The rules for log group and log stream names, shared by the Logs API and the agents' log shipping.</summary>
public static partial class LogNames
{
    public static string GroupName(string? name, string member = "logGroupName")
    {
        if (name is null)
        {
            throw LogsErrors.InvalidParameter($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
        if (name.Length is < 1 or > 512 || !GroupPattern().IsMatch(name))
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ and have length between 1 and 512");
        }
        return name;
    }

    public static string StreamName(string? name, string member = "logStreamName")
    {
        if (name is null)
        {
            throw LogsErrors.InvalidParameter($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
        if (name.Length is < 1 or > 512 || name.Contains(':', StringComparison.Ordinal) || name.Contains('*', StringComparison.Ordinal))
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]* and have length between 1 and 512");
        }
        return name;
    }

    [GeneratedRegex("^[\\.\\-_/#A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupPattern();
}
