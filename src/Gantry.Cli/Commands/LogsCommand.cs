using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Cli.Commands;

/// <summary>`gantry logs TASK|SERVICE [-f] [--since]`: the output of a task's or a service's containers, a colour per container.</summary>
internal static class LogsCommand
{
    private const string Ecs = "AmazonEC2ContainerServiceV20141113";
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);
    private static readonly string[] Colours = ["\u001b[36m", "\u001b[33m", "\u001b[35m", "\u001b[32m", "\u001b[34m", "\u001b[31m"];

    public static Command Create()
    {
        var api = new EndpointOptions();
        var nodeDir = new Option<string?>("--node-dir")
        {
            Description = "State directory of this node's agent, for containers without awslogs (default: the local agent of `gantry dev`, <data-dir>/agent).",
        };
        var cluster = new Option<string>("--cluster") { DefaultValueFactory = _ => "default" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines (Ctrl-C stops)." };
        var since = new Option<string?>("--since") { Description = "Only lines newer than this: a duration (30s, 10m, 2h, 1d) or a time (2026-11-26T09:00:00Z)." };
        var target = new Argument<string>("task-or-service") { Description = "task id or ARN, or service name" };
        var command = new Command("logs", "Print a task's or a service's container output.") { target, nodeDir, cluster, follow, since };
        api.AddTo(command);
        command.SetAction(async (r, ct) =>
        {
            using var http = new HttpClient();
            var client = api.Client(r, http);
            long? from;
            try
            {
                from = Since(r.GetValue(since), DateTimeOffset.UtcNow);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"gantry logs: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            var sources = new TaskLogSources(client, r.GetValue(nodeDir) ?? Path.Combine(r.GetValue(api.DataDirectory)!, "agent"), from);
            try
            {
                return await RunAsync(client, sources, r.GetValue(cluster)!, r.GetValue(target)!, r.GetValue(follow), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return 0;
            }
            catch (AwsException e)
            {
                await Console.Error.WriteLineAsync($"gantry logs: {e.Type}: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Unix milliseconds of a --since value: a duration back from <paramref name="now"/>, or a time; null for none.</summary>
    public static long? Since(string? value, DateTimeOffset now) => Durations.Moment("--since", value, now)?.ToUnixTimeMilliseconds();

    private static async Task<int> RunAsync(GantryClient client, TaskLogSources sources, string cluster, string target, bool follow, CancellationToken ct)
    {
        var tasks = await DescribeTasksAsync(client, cluster, [target], ct).ConfigureAwait(false);
        var service = tasks.Count == 0 ? target : null;
        if (service is not null && !await ServiceExistsAsync(client, cluster, service, ct).ConfigureAwait(false))
        {
            await Console.Error.WriteLineAsync($"gantry logs: no task or service '{target}' in cluster {cluster}").ConfigureAwait(false);
            return 1;
        }
        var colours = new Dictionary<string, string>(StringComparer.Ordinal);
        var colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        var told = 0;
        while (true)
        {
            if (service is not null)
            {
                tasks = await ServiceTasksAsync(client, cluster, service, ct).ConfigureAwait(false);
            }
            await sources.AddAsync(tasks, labelWithTask: service is not null, ct).ConfigureAwait(false);
            for (; told < sources.Unreadable.Count; told++)
            {
                await Console.Error.WriteLineAsync($"gantry logs: {sources.Unreadable[told]} has no awslogs configuration and did not run on this node; run `gantry logs` on its node (--node-dir)").ConfigureAwait(false);
            }
            foreach (var line in await sources.ReadNewAsync(ct).ConfigureAwait(false))
            {
                Console.WriteLine(Format(line, colour ? colours : null));
            }
            if (!follow)
            {
                return 0;
            }
            await Task.Delay(FollowInterval, ct).ConfigureAwait(false);
        }
    }

    private static string Format(LogLine line, Dictionary<string, string>? colours)
    {
        if (colours is null)
        {
            return $"{line.Source} | {line.Message}";
        }
        if (!colours.TryGetValue(line.Source, out var code))
        {
            code = Colours[colours.Count % Colours.Length];
            colours[line.Source] = code;
        }
        return $"{code}{line.Source}\u001b[0m | {line.Message}";
    }

    private static async Task<List<JsonElement>> DescribeTasksAsync(GantryClient client, string cluster, IReadOnlyList<string> tasks, CancellationToken ct)
    {
        var found = new List<JsonElement>();
        foreach (var chunk in tasks.Chunk(100))
        {
            var result = await client.CallAsync("ecs", $"{Ecs}.DescribeTasks", new { cluster, tasks = chunk }, ct).ConfigureAwait(false);
            found.AddRange(result.GetProperty("tasks").EnumerateArray());
        }
        return found;
    }

    private static async Task<bool> ServiceExistsAsync(GantryClient client, string cluster, string service, CancellationToken ct)
    {
        var result = await client.CallAsync("ecs", $"{Ecs}.DescribeServices", new { cluster, services = new[] { service } }, ct).ConfigureAwait(false);
        return result.GetProperty("services").GetArrayLength() > 0;
    }

    /// <summary>The service's tasks, running and recently stopped (a replaced task's last lines are still worth seeing).</summary>
    private static async Task<List<JsonElement>> ServiceTasksAsync(GantryClient client, string cluster, string service, CancellationToken ct)
    {
        var arns = new List<string>();
        foreach (var desired in new[] { DesiredStatusValues.RUNNING, DesiredStatusValues.STOPPED })
        {
            var page = await client.CallAsync("ecs", $"{Ecs}.ListTasks", new { cluster, serviceName = service, desiredStatus = desired, maxResults = 100 }, ct).ConfigureAwait(false);
            arns.AddRange(page.GetProperty("taskArns").EnumerateArray().Select(a => a.GetString()!));
        }
        return arns.Count == 0 ? [] : await DescribeTasksAsync(client, cluster, arns, ct).ConfigureAwait(false);
    }
}
