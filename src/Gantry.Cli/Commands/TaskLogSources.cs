using System.Text.Json;
using Gantry.Agent.Engine;
using Gantry.Agent.Logs;
using Gantry.Domain.Arns;

namespace Gantry.Cli.Commands;

/// <summary>
/// Where the output of a task's containers can be read: their awslogs streams through FilterLogEvents, or for
/// containers without a log configuration, conmon's log file when the task ran on this node (the local agent).
/// Each read returns what is new since the last one, so `gantry logs -f` polls it.
/// </summary>
internal sealed class TaskLogSources(GantryClient client, string nodeDirectory, long? since)
{
    private const string Logs = "Logs_20140328";
    private readonly Dictionary<string, JsonElement> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Group, string Stream), string> _streams = [];
    private readonly Dictionary<string, (string Source, long Offset)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _groupCursor = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Containers that have neither awslogs nor a log file here (said once each).</summary>
    public List<string> Unreadable { get; } = [];

    /// <summary>Learns the containers of these tasks (DescribeTasks JSON); <paramref name="labelWithTask"/> for services.</summary>
    public async Task AddAsync(IEnumerable<JsonElement> tasks, bool labelWithTask, CancellationToken ct)
    {
        foreach (var task in tasks)
        {
            var arn = task.GetProperty("taskArn").GetString()!;
            var taskId = EcsArns.TaskId(arn);
            foreach (var container in (await DefinitionAsync(task.GetProperty("taskDefinitionArn").GetString()!, ct).ConfigureAwait(false))
                .GetProperty("containerDefinitions").EnumerateArray())
            {
                var name = container.GetProperty("name").GetString()!;
                var label = labelWithTask ? $"{taskId[..8]}/{name}" : name;
                var runtimeId = TaskEngine.RuntimeId(taskId, name);
                if (container.TryGetProperty("logConfiguration", out var log) && log.GetProperty("logDriver").GetString() == "awslogs"
                    && Awslogs(log) is { } options)
                {
                    _streams.TryAdd((options.Group, options.StreamName(name, taskId)), label);
                }
                else if (File.Exists(Path.Combine(nodeDirectory, "logs", runtimeId + ".log")))
                {
                    _files.TryAdd(Path.Combine(nodeDirectory, "logs", runtimeId + ".log"), (label, 0));
                }
                else if (!Unreadable.Contains(label))
                {
                    Unreadable.Add(label);
                }
            }
        }
    }

    /// <summary>The lines written since the previous call, oldest first.</summary>
    public async Task<List<LogLine>> ReadNewAsync(CancellationToken ct)
    {
        var lines = new List<LogLine>();
        foreach (var group in _streams.Keys.GroupBy(k => k.Group))
        {
            foreach (var chunk in group.Select(k => k.Stream).Chunk(100))
            {
                await ReadGroupAsync(group.Key, chunk, lines, ct).ConfigureAwait(false);
            }
        }
        foreach (var (path, (source, offset)) in _files.ToList())
        {
            _files[path] = (source, ReadFile(path, source, offset, lines));
        }
        return [.. lines.OrderBy(l => l.TimestampMs)];
    }

    private async Task ReadGroupAsync(string group, string[] streams, List<LogLine> lines, CancellationToken ct)
    {
        var key = $"{group}\n{string.Join('\n', streams)}";
        var start = _groupCursor.TryGetValue(key, out var cursor) ? cursor : since ?? 0;
        string? token = null;
        do
        {
            var page = await client.CallAsync("logs", $"{Logs}.FilterLogEvents",
                new { logGroupName = group, logStreamNames = streams, startTime = start, nextToken = token }, ct).ConfigureAwait(false);
            foreach (var e in page.GetProperty("events").EnumerateArray())
            {
                // Like `aws logs tail`: the next poll starts at the newest timestamp seen; event ids drop the repeats.
                if (_seen.Add(e.GetProperty("eventId").GetString()!))
                {
                    var timestamp = e.GetProperty("timestamp").GetInt64();
                    lines.Add(new LogLine(timestamp, _streams[(group, e.GetProperty("logStreamName").GetString()!)], e.GetProperty("message").GetString()!));
                    cursor = Math.Max(cursor, timestamp);
                }
            }
            token = page.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        _groupCursor[key] = Math.Max(cursor, start);
    }

    private long ReadFile(string path, string source, long offset, List<LogLine> lines)
    {
        using var reader = ConmonLogReader.Open(path, offset);
        var records = new List<ConmonLogRecord>();
        reader.Read(records);
        var assembler = new LogEventAssembler(startOffset: offset);
        var events = new List<AssembledLogEvent>();
        foreach (var record in records)
        {
            assembler.Add(record, events);
        }
        assembler.MarkConsumed(reader.Offset);
        lines.AddRange(events.Where(e => e.TimestampMs >= (since ?? 0)).Select(e => new LogLine(e.TimestampMs, source, e.Message)));
        return assembler.SafeOffset;
    }

    /// <summary>The container's awslogs options, or null when they are invalid (the agent refused to start it then).</summary>
    private static AwslogsOptions? Awslogs(JsonElement log)
    {
        try
        {
            return log.TryGetProperty("options", out var options) ? AwslogsOptions.Parse(options.Deserialize<Dictionary<string, string>>()!) : null;
        }
        catch (AwslogsOptionException)
        {
            return null;
        }
    }

    private async Task<JsonElement> DefinitionAsync(string arn, CancellationToken ct)
    {
        if (!_definitions.TryGetValue(arn, out var definition))
        {
            definition = (await client.CallAsync("ecs", "AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition", new { taskDefinition = arn }, ct)
                .ConfigureAwait(false)).GetProperty("taskDefinition");
            _definitions[arn] = definition;
        }
        return definition;
    }
}
