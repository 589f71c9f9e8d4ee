using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>Tasks with the real AWS CLI against `gantry dev` and its local agent (real runc containers).</summary>
public sealed class TaskCliTests(DevFixture dev) : IClassFixture<DevFixture>
{
    private AwsCli Aws => dev.Aws;

    private async Task<string> RegisterAsync(string family, string containers) =>
        (await Aws.OkAsync("ecs", "register-task-definition", "--family", family, "--container-definitions", containers))
            .GetProperty("taskDefinition").GetProperty("taskDefinitionArn").GetString()!;

    private async Task<JsonElement> DescribeAsync(string arn) =>
        (await Aws.OkAsync("ecs", "describe-tasks", "--tasks", arn)).GetProperty("tasks")[0];

    [Fact]
    public async Task Run_wait_running_stop_and_wait_stopped_behave_as_on_AWS()
    {
        await RegisterAsync("e2e-sleep", """[{"name":"app","image":"busybox","memory":32,"essential":true,"command":["sleep","600"]}]""");
        var run = await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-sleep", "--started-by", "e2e");
        var arn = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        Assert.Empty(run.GetProperty("failures").EnumerateArray());
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);
        var running = await DescribeAsync(arn);
        Assert.Equal("RUNNING", running.GetProperty("lastStatus").GetString());
        Assert.Equal("RUNNING", running.GetProperty("containers")[0].GetProperty("lastStatus").GetString());
        Assert.StartsWith("arn:aws:ecs:us-east-1:000000000000:container-instance/default/", running.GetProperty("containerInstanceArn").GetString(), StringComparison.Ordinal);
        Assert.True(running.TryGetProperty("pullStartedAt", out _) && running.TryGetProperty("startedAt", out _));
        var listed = await Aws.OkAsync("ecs", "list-tasks", "--started-by", "e2e");
        Assert.Contains(arn, listed.GetProperty("taskArns").EnumerateArray().Select(a => a.GetString()));

        await Aws.OkAsync("ecs", "stop-task", "--task", arn, "--reason", "done with it");
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", arn);
        var stopped = await DescribeAsync(arn);
        Assert.Equal("UserInitiated", stopped.GetProperty("stopCode").GetString());
        Assert.Equal("done with it", stopped.GetProperty("stoppedReason").GetString());
        Assert.Equal(137, stopped.GetProperty("containers")[0].GetProperty("exitCode").GetInt32());
        var stoppedList = await Aws.OkAsync("ecs", "list-tasks", "--desired-status", "STOPPED", "--family", "e2e-sleep");
        Assert.Contains(arn, stoppedList.GetProperty("taskArns").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task An_essential_container_exit_stops_the_task_with_its_exit_code_and_overrides_apply()
    {
        await RegisterAsync("e2e-exit", """[{"name":"app","image":"busybox","memory":32,"essential":true,"command":["sh","-c","exit 1"]}]""");
        var overrides = """{"containerOverrides":[{"name":"app","command":["sh","-c","exit $CODE"],"environment":[{"name":"CODE","value":"42"}]}]}""";
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-exit", "--overrides", overrides))
            .GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", arn);
        var task = await DescribeAsync(arn);
        Assert.Equal("EssentialContainerExited", task.GetProperty("stopCode").GetString());
        Assert.Equal(42, task.GetProperty("containers")[0].GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task An_impossible_placement_returns_the_reason_and_creates_nothing()
    {
        await RegisterAsync("e2e-huge", """[{"name":"app","image":"busybox","memory":9000000,"essential":true,"command":["true"]}]""");
        var run = await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-huge");
        Assert.Empty(run.GetProperty("tasks").EnumerateArray());
        var failure = run.GetProperty("failures")[0];
        Assert.Equal("RESOURCE:MEMORY", failure.GetProperty("reason").GetString());
        Assert.StartsWith("arn:aws:ecs:us-east-1:000000000000:container-instance/default/", failure.GetProperty("arn").GetString(), StringComparison.Ordinal);
        var listed = await Aws.OkAsync("ecs", "list-tasks", "--family", "e2e-huge");
        Assert.Empty(listed.GetProperty("taskArns").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_image_stops_the_task_with_CannotPullContainerError()
    {
        await RegisterAsync("e2e-noimage", """[{"name":"app","image":"no-such-image:v1","memory":32,"essential":true}]""");
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-noimage")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", arn);
        var task = await DescribeAsync(arn);
        Assert.Equal("TaskFailedToStart", task.GetProperty("stopCode").GetString());
        Assert.StartsWith("CannotPullContainerError", task.GetProperty("containers")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>RUNNING means the container started, not that httpd listens yet: wait for its first answer.</summary>
    internal static async Task<string> FirstAnswerAsync(Uri uri)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                body = await http.GetStringAsync(uri);
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false; // not listening yet, or the first connection attempt stalled while the address came up: ask again
            }
        }, 30);
        return body!;
    }

    [Fact]
    public async Task A_bridge_task_with_a_dynamic_host_port_answers_HTTP_on_it()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "e2e-web", "--network-mode", "bridge", "--container-definitions",
            """[{"name":"web","image":"busybox","memory":32,"essential":true,"command":["httpd","-f","-p","80","-h","/var/www"],"portMappings":[{"containerPort":80,"hostPort":0}]}]""");
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-web")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);
        var binding = (await DescribeAsync(arn)).GetProperty("containers")[0].GetProperty("networkBindings")[0];
        Assert.Equal(80, binding.GetProperty("containerPort").GetInt32());
        var port = binding.GetProperty("hostPort").GetInt32();
        Assert.True(port > 0);
        Assert.Equal("hello from gantry\n", await FirstAnswerAsync(new Uri($"http://127.0.0.1:{port}/")));
        await Aws.OkAsync("ecs", "stop-task", "--task", arn);
    }

    [Fact]
    public async Task An_awsvpc_task_answers_on_its_own_address_and_its_containers_share_localhost()
    {
        await Aws.OkAsync("ecs", "register-task-definition", "--family", "e2e-vpc", "--network-mode", "awsvpc", "--container-definitions", """
            [{"name":"web","image":"busybox","memory":32,"essential":true,"command":["httpd","-f","-p","8080","-h","/var/www"]},
             {"name":"probe","image":"busybox","memory":16,"essential":false,
              "dependsOn":[{"containerName":"web","condition":"START"}],
              "command":["sh","-c","until wget -qO- http://localhost:8080/; do sleep 0.2; done; exit 0"]}]
            """);
        var missing = await Aws.RunAsync("ecs", "run-task", "--task-definition", "e2e-vpc");
        Assert.Contains("Network Configuration must be provided", missing.StandardError, StringComparison.Ordinal);
        var subnet = await Aws.DefaultSubnetAsync();
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-vpc", "--network-configuration", $"awsvpcConfiguration={{subnets=[{subnet}]}}"))
            .GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);
        var address = (await DescribeAsync(arn)).GetProperty("containers")[0].GetProperty("networkInterfaces")[0].GetProperty("privateIpv4Address").GetString();
        Assert.Equal("hello from gantry\n", await FirstAnswerAsync(new Uri($"http://{address}:8080/")));
        await Eventually.TrueAsync(async () =>
            (await DescribeAsync(arn)).GetProperty("containers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "probe")
                .TryGetProperty("exitCode", out var code) && code.GetInt32() == 0, 30);
        await Aws.OkAsync("ecs", "stop-task", "--task", arn);
    }

    [Fact]
    public async Task Gantry_task_commands_run_list_describe_and_stop_with_tables()
    {
        await RegisterAsync("e2e-cli", """[{"name":"app","image":"busybox","memory":16,"essential":true,"command":["sleep","600"],"stopTimeout":2}]""");
        string[] common = ["--endpoint", dev.Gantry.Endpoint.ToString(), "--data-dir", dev.Gantry.DataDirectory];
        var gantry = Path.Combine(AppContext.BaseDirectory, "gantry.dll");
        var run = await Tool.OkAsync("dotnet", [gantry, "task", "run", "e2e-cli", "--wait", .. common]);
        var line = run.Split('\n').Single(l => l.Contains("e2e-cli:", StringComparison.Ordinal));
        Assert.Contains("RUNNING", line, StringComparison.Ordinal);
        var id = line.Split(' ')[0];
        Assert.Contains(id, await Tool.OkAsync("dotnet", [gantry, "task", "ls", .. common]), StringComparison.Ordinal);
        var described = await Tool.OkAsync("dotnet", [gantry, "task", "describe", id, .. common]);
        Assert.Contains("CONTAINER", described, StringComparison.Ordinal);
        Assert.Contains("group                 family:e2e-cli", described, StringComparison.Ordinal);
        Assert.Contains($"stopping {id}", await Tool.OkAsync("dotnet", [gantry, "task", "stop", id, .. common]), StringComparison.Ordinal);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", id);
    }

    [Fact]
    public async Task Gantry_logs_prints_awslogs_and_node_local_output_per_container()
    {
        await RegisterAsync("e2e-logs", """
            [{"name":"web","image":"busybox","memory":16,"essential":true,"command":["sh","-c","echo web one; echo web two >&2; sleep 600"],"stopTimeout":1,
              "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/e2e/cli","awslogs-region":"us-east-1","awslogs-stream-prefix":"e2e","awslogs-create-group":"true"}}},
             {"name":"side","image":"busybox","memory":16,"essential":false,"command":["sh","-c","echo side one; sleep 600"],"stopTimeout":1}]
            """);
        var arn = (await Aws.OkAsync("ecs", "run-task", "--task-definition", "e2e-logs")).GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Aws.OkAsync("ecs", "wait", "tasks-running", "--tasks", arn);
        string[] args = ["dotnet", Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "logs", arn[(arn.LastIndexOf('/') + 1)..],
            "--endpoint", dev.Gantry.Endpoint.ToString(), "--data-dir", dev.Gantry.DataDirectory];
        string[] expected = ["web | web one", "web | web two", "side | side one"];
        await Eventually.TrueAsync(async () =>
        {
            var lines = (await Tool.OkAsync(args[0], args[1..])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return expected.All(lines.Contains);
        }, 30);
        var none = await Tool.RunAsync(args[0], [.. args[1..], "--since", "bogus"]);
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains("--since 'bogus'", none.StandardError, StringComparison.Ordinal);
        await Aws.OkAsync("ecs", "stop-task", "--task", arn);
        await Aws.OkAsync("ecs", "wait", "tasks-stopped", "--tasks", arn);
    }

    [Fact]
    public async Task Bad_requests_get_AWS_errors()
    {
        var missing = await Aws.RunAsync("ecs", "run-task", "--task-definition", "no-such-family");
        Assert.Contains("ClientException", missing.StandardError, StringComparison.Ordinal);
        var count = await Aws.RunAsync("ecs", "run-task", "--task-definition", "e2e-sleep", "--count", "11");
        Assert.Contains("InvalidParameterException", count.StandardError, StringComparison.Ordinal);
        var strategy = await Aws.RunAsync("ecs", "run-task", "--task-definition", "e2e-sleep", "--placement-strategy", "type=pack,field=cpu");
        Assert.Contains("InvalidParameterException", strategy.StandardError, StringComparison.Ordinal);
        var expression = await Aws.RunAsync("ecs", "run-task", "--task-definition", "e2e-sleep", "--placement-constraints", "type=memberOf,expression=attribute:x ==");
        Assert.Contains("InvalidParameterException", expression.StandardError, StringComparison.Ordinal);
    }
}

/// <summary>One `gantry dev` (control plane, registry, local agent) shared by a test class.</summary>
public sealed class DevFixture : IAsyncLifetime
{
    public GantryProcess Gantry { get; private set; } = null!;
    public AwsCli Aws { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Gantry = await GantryProcess.StartAsync("dev");
        Aws = new AwsCli(Gantry);
        // The local agent creates the default cluster and registers after the sample image is pushed; wait for it.
        await Eventually.TrueAsync(async () =>
        {
            var listed = await Aws.RunAsync("ecs", "list-container-instances");
            return listed.ExitCode == 0 && listed.Json.GetProperty("containerInstanceArns").GetArrayLength() == 1;
        }, 120);
    }

    public async Task DisposeAsync()
    {
        await Gantry.DisposeAsync();
        await NodeCleanup.RemoveContainersAsync(Path.Combine(Gantry.DataDirectory, "agent"));
        Directory.Delete(Gantry.Home, recursive: true);
    }
}
