using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gantry.Api.Usage;
using Gantry.Domain.Errors;

namespace Gantry.Cli.Commands;

/// <summary>
/// `gantry usage [--since] [--until] [--by cluster|service|family]`: vCPU and GB seconds of tasks, billed as Fargate bills,
/// summed per cluster, service or family and launch type, through Gantry's usage API (SigV4-signed for service "gantry").
/// </summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var api = new EndpointOptions();
        var since = new Option<string?>("--since")
        {
            Description = $"Count only usage after this: a duration back from now ({Durations.Examples}) or a time (2026-12-01T00:00:00Z). All time when absent.",
        };
        var until = new Option<string?>("--until") { Description = "Count only usage before this (a duration back from now or a time)." };
        var by = new Option<string>("--by") { Description = "One row per cluster, service or task family (and launch type).", DefaultValueFactory = _ => "cluster" };
        by.AcceptOnlyFromAmong("cluster", "service", "family");
        var command = new Command("usage",
            "vCPU-seconds and GB-seconds of tasks as Fargate bills them: from image pull to stop, rounded up to the second, one minute at least.")
        {
            since, until, by,
        };
        api.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            DateTimeOffset? from, to;
            var now = DateTimeOffset.UtcNow;
            try
            {
                from = Durations.Moment("--since", r.GetValue(since), now);
                to = Durations.Moment("--until", r.GetValue(until), now);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"gantry usage: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            var grouping = r.GetValue(by)!;
            JsonElement usage;
            try
            {
                using var http = new HttpClient();
                usage = await api.Client(r, http)
                    .CallAsync(UsageOperations.SigningName, $"{UsageOperations.Prefix}.GetUsage", new UsageArguments(Seconds(from), Seconds(to), grouping.ToUpperInvariant()), ct)
                    .ConfigureAwait(false);
            }
            catch (AwsException e)
            {
                await Console.Error.WriteLineAsync($"gantry usage: {e.Type}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            Write(Console.Out, usage, grouping, TableWriter.TerminalWidth());
            return 0;
        });
        return command;
    }

    /// <summary>Prints the window, one row per group and a total line.</summary>
    internal static void Write(TextWriter output, JsonElement usage, string grouping, int width)
    {
        var window = usage.TryGetProperty("since", out var since) ? $"from {Time(since)} " : "all time ";
        output.WriteLine($"Usage {window}to {Time(usage.GetProperty("until"))}, billed per second from image pull to stop, one minute at least");
        var total = usage.GetProperty("total");
        var rows = usage.GetProperty("groups").EnumerateArray().Select(g => (IReadOnlyList<string>)
        [
            g.GetProperty("cluster").GetString()!,
            .. grouping == "cluster" ? Array.Empty<string>() : [Text(g, grouping) ?? "-"],
            g.GetProperty("launchType").GetString()!,
            .. Figures(g),
        ]).ToList();
        rows.Add(["TOTAL", .. grouping == "cluster" ? Array.Empty<string>() : [""], "", .. Figures(total)]);
        TableWriter.Write(output, ["CLUSTER", .. grouping == "cluster" ? Array.Empty<string>() : [grouping.ToUpperInvariant()], "LAUNCH TYPE", "TASKS", "RUNNING",
            "VCPU-SECONDS", "GB-SECONDS", "VCPU-HOURS"], rows, width);
    }

    private static string[] Figures(JsonElement item)
    {
        var vcpu = item.GetProperty("vcpuSeconds").GetDouble();
        return
        [
            item.GetProperty("tasks").GetInt32().ToString(CultureInfo.InvariantCulture),
            item.GetProperty("runningTasks").GetInt32().ToString(CultureInfo.InvariantCulture),
            vcpu.ToString("F1", CultureInfo.InvariantCulture),
            item.GetProperty("gbSeconds").GetDouble().ToString("F1", CultureInfo.InvariantCulture),
            (vcpu / 3600).ToString("F3", CultureInfo.InvariantCulture),
        ];
    }

    private static double? Seconds(DateTimeOffset? moment) => moment?.ToUnixTimeMilliseconds() / 1000.0;

    private static string? Text(JsonElement item, string name) => item.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string Time(JsonElement seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds.GetDouble() * 1000)).ToString("u", CultureInfo.InvariantCulture);

    /// <summary>The GetUsage request as the wire spells it (absent members left out).</summary>
    private sealed record UsageArguments(
        [property: JsonPropertyName("since"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Since,
        [property: JsonPropertyName("until"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Until,
        [property: JsonPropertyName("groupBy")] string GroupBy);
}
