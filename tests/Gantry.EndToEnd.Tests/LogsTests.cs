using System.Text.RegularExpressions;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// The awslogs driver end to end: a task prints numbered lines, `aws logs tail --follow` (the real AWS CLI, polling
/// FilterLogEvents) shows every one in order exactly once, also while the agent is killed with -9 and restarted.
/// </summary>
public sealed partial class LogsTests : IAsyncLifetime
{
    private const int Lines = 300;
    private const string Group = "/e2e/printer";
    private SingleNode _node = null!;
    private AwsCli _aws = null!;
    private string _state = null!;

    public async Task InitializeAsync()
    {
        _node = await SingleNode.StartAsync("logs", 218);
        _aws = _node.Aws;
        _state = _node.StateDirectory;
        await _node.StartAgentAsync();
        await SampleImage.ImportBusyboxAsync(_node.Server);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Logs_tail_follow_shows_every_line_once_in_order_across_an_agent_kill()
    {
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "printer", "--container-definitions", $$"""
            [{"name":"app","image":"busybox","memory":32,"essential":true,
              "command":["sh","-c","i=0; while [ $i -lt {{Lines}} ]; do echo \"line $i\"; i=$((i+1)); sleep 0.05; done; sleep 600"],
              "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"{{Group}}","awslogs-region":"us-east-1",
                "awslogs-stream-prefix":"web","awslogs-create-group":"true","mode":"blocking"} } }]
            """);
        var run = await _aws.OkAsync("ecs", "run-task", "--cluster", "logs", "--task-definition", "printer");
        var taskArn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        var taskId = taskArn[(taskArn.LastIndexOf('/') + 1)..];
        // The agent opens the stream (creating the group) before it starts the container.
        await _aws.OkAsync("ecs", "wait", "tasks-running", "--cluster", "logs", "--tasks", taskArn);
        using var tail = _aws.Start("logs", "tail", Group, "--follow", "--since", "1h");
        var seen = new List<string>();
        tail.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (seen)
                {
                    seen.Add(e.Data);
                }
            }
        };
        tail.BeginOutputReadLine();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(Numbers(seen).Count >= 40), 90);

            // kill -9 while the container keeps printing; the restarted agent ships what it missed, once.
            await _node.Agent.KillAsync();
            var logFile = Path.Combine(_state, "logs", $"{taskId}-app.log");
            var atKill = File.ReadAllLines(logFile).Length;
            await Eventually.TrueAsync(() => Task.FromResult(File.ReadAllLines(logFile).Length >= atKill + 40), 30);
            await _node.StartAgentAsync();

            await Eventually.TrueAsync(() => Task.FromResult(Numbers(seen).Contains(Lines - 1)), 120);
            Assert.Equal(Enumerable.Range(0, Lines), Numbers(seen));

            var stream = $"web/app/{taskId}";
            var events = await _aws.OkAsync("logs", "get-log-events", "--log-group-name", Group, "--log-stream-name", stream, "--start-from-head");
            Assert.Equal(Enumerable.Range(0, Lines).Select(i => $"line {i}"),
                events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
            var filtered = await _aws.OkAsync("logs", "filter-log-events", "--log-group-name", Group, "--filter-pattern", "\"line 29\"");
            Assert.Equal(new[] { "line 29" }.Concat(Enumerable.Range(290, 10).Select(i => $"line {i}")),
                filtered.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()));
        }
        finally
        {
            tail.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_short_lived_container_is_shipped_whole_and_multiline_patterns_group_lines()
    {
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "multi", "--container-definitions", """
            [{"name":"app","image":"busybox","memory":32,"essential":true,
              "command":["sh","-c","echo 'INFO start'; echo '  at one'; echo '  at two'; echo 'INFO next'; echo 'INFO last'"],
              "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/e2e/multi","awslogs-region":"us-east-1",
                "awslogs-stream-prefix":"m","awslogs-create-group":"true","awslogs-multiline-pattern":"^INFO"} } }]
            """);
        var run = await _aws.OkAsync("ecs", "run-task", "--cluster", "logs", "--task-definition", "multi");
        var taskArn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await _aws.OkAsync("ecs", "wait", "tasks-stopped", "--cluster", "logs", "--tasks", taskArn);
        var stream = $"m/app/{taskArn[(taskArn.LastIndexOf('/') + 1)..]}";
        string[] expected = ["INFO start\n  at one\n  at two\n", "INFO next\n", "INFO last\n"];
        await Eventually.TrueAsync(async () =>
        {
            var events = await _aws.OkAsync("logs", "get-log-events", "--log-group-name", "/e2e/multi", "--log-stream-name", stream, "--start-from-head");
            return events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()).SequenceEqual(expected);
        }, 30);
    }

    [Fact]
    public async Task The_AWS_CLI_gets_the_Logs_API_errors_for_bad_requests()
    {
        var missing = await _aws.RunAsync("logs", "put-log-events", "--log-group-name", "/e2e/none", "--log-stream-name", "s",
            "--log-events", "timestamp=1700000000000,message=x");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("ResourceNotFoundException", missing.StandardError, StringComparison.Ordinal);
        await _aws.OkAsync("logs", "create-log-group", "--log-group-name", "/e2e/bad");
        await _aws.OkAsync("logs", "create-log-stream", "--log-group-name", "/e2e/bad", "--log-stream-name", "s");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var unordered = await _aws.RunAsync("logs", "put-log-events", "--log-group-name", "/e2e/bad", "--log-stream-name", "s",
            "--log-events", $"timestamp={now},message=b", $"timestamp={now - 5000},message=a");
        Assert.NotEqual(0, unordered.ExitCode);
        Assert.Contains("InvalidParameterException", unordered.StandardError, StringComparison.Ordinal);
        var exists = await _aws.RunAsync("logs", "create-log-group", "--log-group-name", "/e2e/bad");
        Assert.Contains("ResourceAlreadyExistsException", exists.StandardError, StringComparison.Ordinal);
        var empty = await _aws.OkAsync("logs", "get-log-events", "--log-group-name", "/e2e/bad", "--log-stream-name", "s");
        Assert.Equal(0, empty.GetProperty("events").GetArrayLength());
    }

    private static List<int> Numbers(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines.Select(l => LineNumber().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        }
    }

    [GeneratedRegex(@"line (\d+)$")]
    private static partial Regex LineNumber();
}
