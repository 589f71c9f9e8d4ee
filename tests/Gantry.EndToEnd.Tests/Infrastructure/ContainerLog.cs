using System.Globalization;

namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>A container's log file on its node (<c>&lt;state dir&gt;/logs/&lt;task id&gt;-&lt;container&gt;.log</c>), line by line with conmon's timestamps.</summary>
public static class ContainerLog
{
    public static string PathOf(string stateDirectory, string taskArn, string container = "app") =>
        Path.Combine(stateDirectory, "logs", $"{taskArn.Split('/')[^1]}-{container}.log");

    /// <summary>The container's output lines with their timestamps (none while the file does not exist).</summary>
    public static List<(DateTimeOffset At, string Text)> Lines(string log)
    {
        if (!File.Exists(log))
        {
            return [];
        }
        var lines = new List<(DateTimeOffset, string)>();
        foreach (var line in File.ReadAllLines(log))
        {
            if (line.Split(' ', 4) is [var at, _, _, var text] && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                lines.Add((time, text));
            }
        }
        return lines;
    }
}
