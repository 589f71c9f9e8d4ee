using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// The task metadata endpoint v4 from inside busybox tasks: a bridge task and a host-network task read their own task
/// with `wget $ECS_CONTAINER_METADATA_URI_V4/task`; another task using the first task's URI is refused with 404.
/// Output travels through the awslogs driver and is read with `aws logs get-log-events`.
/// </summary>
public sealed class TaskMetadataTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Cluster = "tmds";
    private const string Group = "/e2e/tmds";
    private SingleNode _node = null!;
    private AwsCli _aws = null!;

    public async Task InitializeAsync()
    {
        _node = await SingleNode.StartAsync(Cluster, 221);
        _aws = _node.Aws;
        await _node.StartAgentAsync();
        await SampleImage.ImportBusyboxAsync(_node.Server);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_task_reads_its_own_metadata_and_another_task_is_refused_its_uri()
    {
        await RegisterAsync("reader", "bridge", "echo URI=$ECS_CONTAINER_METADATA_URI_V4; wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task; echo; "
            + "echo \"STATS=$(wget -qO- $ECS_CONTAINER_METADATA_URI_V4/stats)\"; echo END; sleep 600");
        var (readerArn, readerLog) = await RunAsync("reader");
        var uri = readerLog.Single(l => l.StartsWith("URI=", StringComparison.Ordinal))["URI=".Length..];
        Assert.Matches(@"^http://169\.254\.171\.221/v4/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", uri);
        var task = JsonDocument.Parse(readerLog.Single(l => l.StartsWith('{'))).RootElement;
        Assert.Equal(readerArn, task.GetProperty("TaskARN").GetString());
        Assert.Equal("reader", task.GetProperty("Family").GetString());
        Assert.Equal(Cluster, task.GetProperty("Cluster").GetString());
        Assert.Equal("EC2", task.GetProperty("LaunchType").GetString());
        var container = Assert.Single(task.GetProperty("Containers").EnumerateArray());
        Assert.Equal("app", container.GetProperty("Name").GetString());
        Assert.Equal("RUNNING", container.GetProperty("KnownStatus").GetString());
        Assert.StartsWith("10.221.", container.GetProperty("Networks")[0].GetProperty("IPv4Addresses")[0].GetString(), StringComparison.Ordinal);

        // Stats from the container's own cgroups and the task's namespace.
        var stats = JsonDocument.Parse(readerLog.Single(l => l.StartsWith("STATS=", StringComparison.Ordinal))["STATS=".Length..]).RootElement;
        Assert.Equal(container.GetProperty("DockerId").GetString(), stats.GetProperty("id").GetString());
        Assert.True(stats.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64() > 0);
        Assert.True(stats.GetProperty("memory_stats").GetProperty("usage").GetUInt64() > 0);
        Assert.Equal(32UL * 1024 * 1024, stats.GetProperty("memory_stats").GetProperty("limit").GetUInt64());
        Assert.True(stats.GetProperty("pids_stats").GetProperty("current").GetUInt64() > 0);
        Assert.True(stats.GetProperty("networks").GetProperty("eth0").GetProperty("rx_bytes").GetUInt64() > 0);

        // Another task (its own address) with the reader's URI: the id is known, the caller is not that task.
        await RegisterAsync("intruder", "bridge", $"wget -qO- {uri}/task 2>&1; echo rc=$?; echo END; sleep 600");
        var (_, intruderLog) = await RunAsync("intruder");
        Assert.Contains(intruderLog, l => l.Contains("404", StringComparison.Ordinal));
        Assert.DoesNotContain(intruderLog, l => l.Contains(readerArn, StringComparison.Ordinal));
        Assert.Contains("rc=1", intruderLog);

        // A host-network task reaches the endpoint on the node's own address.
        await RegisterAsync("hostreader", "host", "wget -qO- $ECS_CONTAINER_METADATA_URI_V4; echo; echo END; sleep 600");
        var (_, hostLog) = await RunAsync("hostreader");
        var own = JsonDocument.Parse(hostLog.Single(l => l.StartsWith('{'))).RootElement;
        Assert.Equal("app", own.GetProperty("Name").GetString());
        Assert.Equal("host", own.GetProperty("Networks")[0].GetProperty("NetworkMode").GetString());
    }

    [Fact]
    public async Task The_uri_keeps_working_after_the_agent_is_killed_and_restarted()
    {
        // The node-local container log (conmon's k8s-file) shows what the container sees while the agent is down.
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "poller", "--container-definitions", JsonSerializer.Serialize(new[]
        {
            new
            {
                name = "app",
                image = "busybox",
                memory = 32,
                essential = true,
                command = new[] { "sh", "-c", "while true; do if wget -qO- $ECS_CONTAINER_METADATA_URI_V4 >/dev/null; then echo UP; else echo DOWN; fi; sleep 0.3; done" },
            },
        }));
        var run = await _aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "poller");
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        var log = Path.Combine(_node.StateDirectory, "logs", $"{arn[(arn.LastIndexOf('/') + 1)..]}-app.log");
        List<string> Seen() => File.Exists(log) ? [.. File.ReadAllLines(log).Select(l => l.Split(' ').Last())] : [];
        await Eventually.TrueAsync(() => Task.FromResult(Seen().Contains("UP")), 60);

        Assert.All(Seen(), line => Assert.Equal("UP", line));

        await _node.Agent.KillAsync();
        await Eventually.TrueAsync(() => Task.FromResult(Seen().Contains("DOWN")), 30);
        await _node.StartAgentAsync();

        await Eventually.TrueAsync(() => Task.FromResult(Seen() is var seen && seen.LastIndexOf("UP") > seen.LastIndexOf("DOWN")), 60);
    }

    private async Task RegisterAsync(string family, string networkMode, string script) =>
        await _aws.OkAsync("ecs", "register-task-definition", "--family", family, "--network-mode", networkMode, "--container-definitions", JsonSerializer.Serialize(new[]
        {
            new
            {
                name = "app",
                image = "busybox",
                memory = 32,
                essential = true,
                command = new[] { "sh", "-c", script },
                logConfiguration = new
                {
                    logDriver = "awslogs",
                    options = new Dictionary<string, string>
                    {
                        ["awslogs-group"] = Group,
                        ["awslogs-region"] = "us-east-1",
                        ["awslogs-stream-prefix"] = family,
                        ["awslogs-create-group"] = "true",
                    },
                },
            },
        }));

    /// <summary>Runs the family's task and returns its ARN and its output lines, once it printed END.</summary>
    private async Task<(string Arn, IReadOnlyList<string> Lines)> RunAsync(string family)
    {
        var run = await _aws.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", family);
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await _aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", Cluster, "--tasks", arn);
        var stream = $"{family}/app/{arn[(arn.LastIndexOf('/') + 1)..]}";
        List<string> lines = [];
        await Eventually.TrueAsync(async () =>
        {
            var events = await _aws.OkAsync("logs", "get-log-events", "--log-group-name", Group, "--log-stream-name", stream, "--start-from-head");
            lines = [.. events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!)];
            return lines.Contains("END");
        }, 60);
        foreach (var line in lines)
        {
            output.WriteLine($"{family}: {line}");
        }
        return (arn, lines);
    }
}
