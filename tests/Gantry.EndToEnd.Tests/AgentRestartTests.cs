using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>kill -9 of `gantry agent` with 20 containers running: they keep running, the restarted agent adopts them.</summary>
public sealed class AgentRestartTests : IAsyncLifetime
{
    private SingleNode _node = null!;
    private AwsCli _aws = null!;
    private string _state = null!;

    public async Task InitializeAsync()
    {
        _node = await SingleNode.StartAsync("restart", 216);
        _aws = _node.Aws;
        _state = _node.StateDirectory;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Containers_outlive_a_killed_agent_and_are_adopted_with_missed_exits_reported()
    {
        await _node.StartAgentAsync();
        await Eventually.TrueAsync(async () => (await _aws.OkAsync("ecs", "list-container-instances", "--cluster", "restart"))
            .GetProperty("containerInstanceArns").GetArrayLength() == 1, 60);
        await SampleImage.ImportBusyboxAsync(_node.Server);
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "long", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"command":["sleep","600"]}]""");
        await _aws.OkAsync("ecs", "register-task-definition", "--family", "short", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"command":["sh","-c","while [ ! -f /tmp/never ]; do sleep 0.2; done"]}]""");
        var arns = new List<string>();
        foreach (var (family, count) in new[] { ("long", "10"), ("long", "9"), ("short", "1") })
        {
            var run = await _aws.OkAsync("ecs", "run-task", "--cluster", "restart", "--task-definition", family, "--count", count);
            arns.AddRange(run.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskArn").GetString()!));
        }
        Assert.Equal(20, arns.Count);
        await _aws.OkAsync(["ecs", "wait", "tasks-running", "--cluster", "restart", "--tasks", .. arns]);

        await _node.Agent.KillAsync();
        var shortTask = arns[^1];
        var shortId = $"{shortTask[(shortTask.LastIndexOf('/') + 1)..]}-app";
        var runcRoot = Path.Combine(_state, "runc");
        // All 20 keep running without their agent.
        var listed = await Tool.OkAsync("/usr/sbin/runc", ["--root", runcRoot, "list", "-q"]);
        Assert.Equal(20, listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // While the agent is down the short task's container exits (SIGKILL from outside: exit 137).
        await Tool.OkAsync("/usr/sbin/runc", ["--root", runcRoot, "kill", shortId, "KILL"]);
        await Eventually.TrueAsync(async () => (await Tool.RunAsync("/usr/sbin/runc", ["--root", runcRoot, "state", shortId])).StandardOutput.Contains("\"stopped\"", StringComparison.Ordinal), 30);

        await _node.StartAgentAsync();
        await _aws.OkAsync("ecs", "wait", "tasks-stopped", "--cluster", "restart", "--tasks", shortTask);
        var described = await _aws.OkAsync(["ecs", "describe-tasks", "--cluster", "restart", "--tasks", .. arns]);
        var tasks = described.GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("taskArn").GetString()!);
        Assert.Equal(137, tasks[shortTask].GetProperty("containers")[0].GetProperty("exitCode").GetInt32());
        Assert.Equal("EssentialContainerExited", tasks[shortTask].GetProperty("stopCode").GetString());
        Assert.All(arns.Take(19), arn => Assert.Equal("RUNNING", tasks[arn].GetProperty("lastStatus").GetString()));
        // Nothing started twice: the 19 long tasks are the same 19 containers.
        var after = await Tool.OkAsync("/usr/sbin/runc", ["--root", runcRoot, "list", "-q"]);
        Assert.Equal(19, after.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var cluster = (await _aws.OkAsync("ecs", "describe-clusters", "--clusters", "restart")).GetProperty("clusters")[0];
        Assert.Equal(19, cluster.GetProperty("runningTasksCount").GetInt32());
    }
}
