using System.Text.RegularExpressions;

namespace Gantry.Agent.Logs;

/// <summary>Compiles a multiline start pattern written for Go's RE2 into a .NET regex with the same guarantees.</summary>
internal static class StartPattern
{
    /// <summary>
    /// NonBacktracking keeps matching linear in the line length as RE2 does, so a task definition cannot stall the agent
    /// with a catastrophic pattern; it also refuses what RE2 refuses (backreferences, lookarounds). RE2's
    /// <c>(?P&lt;name&gt;</c> group syntax is rewritten to .NET's <c>(?&lt;name&gt;</c>.
    /// </summary>
    public static Regex Compile(string pattern) =>
        new(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}
