using System.Collections.Concurrent;
using Gantry.Agent.Engine;
using Gantry.Agent.Tests.Images;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Engine;

/// <summary>The task engine on real runc + conmon: lifecycle, exit codes, limits, OOM, stop, adoption, failures.</summary>
[Trait("Category", "Runtime")]
public sealed class TaskEngineTests(EngineFixture node) : IClassFixture<EngineFixture>, IAsyncLifetime, IDisposable
{
    private readonly HttpClient _http = new();
    private TaskEngine _engine = null!;
    private Gantry.Agent.Images.ImageStore _images = null!;
    private readonly ConcurrentQueue<AgentTask> _changes = new();

    public Task InitializeAsync()
    {
        (_engine, _images) = node.NewEngine(_http);
        _engine.TaskChanged += t =>
        {
            _changes.Enqueue(t);
            return Task.CompletedTask;
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _images.Dispose();
    }

    public void Dispose() => _http.Dispose();

    private static string Arn() => $"arn:aws:ecs:us-east-1:000000000000:task/test/{Guid.NewGuid():N}";

    private static TaskDefinition Definition(params ContainerDefinition[] containers) =>
        new() { Family = "test", NetworkMode = "none", ContainerDefinitions = containers, Volumes = [] };

    private ContainerDefinition Container(string name, string script, int? memory = 64) =>
        new() { Name = name, Image = node.Busybox, Essential = true, Memory = memory, Command = ["sh", "-c", script] };

    private async Task<AgentTask> RunToEndAsync(TaskDefinition definition, int timeoutSeconds = 60)
    {
        var arn = Arn();
        _engine.Run(arn, definition, null, null);
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        return _engine.Tasks.Single(t => t.TaskArn == arn);
    }

    private async Task<AgentTask> WaitForAsync(string arn, string status, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var task = _engine.Tasks.Single(t => t.TaskArn == arn);
            if (TaskStatus.Order.ToList().IndexOf(task.LastStatus) >= TaskStatus.Order.ToList().IndexOf(status))
            {
                return task;
            }
            Assert.True(DateTime.UtcNow < deadline, $"task did not reach {status}; it is {task.LastStatus}");
            await Task.Delay(50);
        }
    }

    private string Log(AgentTask task, string container) =>
        File.ReadAllText(Path.Combine(node.StateDirectory, "logs", task.Container(container).RuntimeId + ".log"));

    [Fact]
    public async Task Exit_code_and_output_of_an_essential_container_end_the_task()
    {
        var task = await RunToEndAsync(Definition(Container("app", "echo hello from gantry; exit 7")));
        Assert.Equal(TaskStatus.Stopped, task.LastStatus);
        Assert.Equal(TaskStopCodeValues.EssentialContainerExited, task.StopCode);
        Assert.Equal(7, task.Container("app").ExitCode);
        Assert.NotNull(task.PullStartedAt);
        Assert.NotNull(task.StartedAt);
        Assert.NotNull(task.ExecutionStoppedAt);
        var statuses = _changes.Where(c => c.TaskArn == task.TaskArn).Select(c => c.LastStatus).Distinct().ToList();
        Assert.Equal(TaskStatus.Order.Where(s => s != TaskStatus.Deleted), statuses); // DELETED is the control plane's
    }

    [Fact]
    public async Task A_RunTask_repeated_for_a_task_it_runs_starts_nothing_more()
    {
        // Several control-plane replicas may each hand the agent the same task (its change feed and the direct dispatch).
        var arn = Arn();
        var definition = Definition(Container("app", "sleep 30") with { StopTimeout = 1 });
        _engine.Run(arn, definition, null, null);
        var running = await WaitForAsync(arn, TaskStatus.Running);

        var again = _engine.Run(arn, definition, null, null);

        Assert.Equal(TaskStatus.Running, again.LastStatus);
        Assert.Equal(running.Container("app").RuntimeId, again.Container("app").RuntimeId);
        Assert.Single(_engine.Tasks, t => t.TaskArn == arn);
        Assert.Equal(running.StartedAt, _engine.Tasks.Single(t => t.TaskArn == arn).StartedAt);
        await _engine.StopAsync(arn, "test over");
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_container_sees_its_own_pid_namespace_hostname_and_limits()
    {
        var definition = Definition(Container("app", "echo pid=$$; hostname; cat /sys/fs/cgroup/memory/memory.limit_in_bytes; cat /sys/fs/cgroup/pids/pids.max; exit 0", memory: 48) with
        {
            Hostname = "probe-host",
            Cpu = 256,
        });
        var arn = Arn();
        _engine.Run(arn, definition, null, null);
        var running = await WaitForAsync(arn, TaskStatus.Running);
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        var log = Log(running, "app");
        Assert.Contains("stdout F pid=1", log, StringComparison.Ordinal);
        Assert.Contains("stdout F probe-host", log, StringComparison.Ordinal);
        Assert.Contains($"stdout F {48 * 1024 * 1024}", log, StringComparison.Ordinal);
        Assert.Contains("stdout F 4096", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitProcessEnabled_runs_the_command_under_a_tiny_init()
    {
        var container = Container("app", "echo init=$(cat /proc/1/comm) shell=$$; exit 0") with
        {
            LinuxParameters = new LinuxParameters { InitProcessEnabled = true },
        };
        var task = await RunToEndAsync(Definition(container));
        var log = Log(task, "app");
        Assert.Contains("stdout F init=docker-init", log, StringComparison.Ordinal);
        Assert.DoesNotContain("shell=1\n", log + "\n", StringComparison.Ordinal);
        Assert.Equal(0, task.Container("app").ExitCode);
    }

    [Fact]
    public async Task Health_checks_run_inside_the_container_and_HEALTHY_gates_dependents()
    {
        var db = Container("db", "sleep 1; touch /tmp/ready; sleep 600") with
        {
            Essential = false,
            HealthCheck = new HealthCheck { Command = ["CMD-SHELL", "test -f /tmp/ready"], Interval = 1, Timeout = 2, Retries = 1 },
            StopTimeout = 2,
        };
        var app = Container("app", "exit 0") with { DependsOn = [new ContainerDependency { ContainerName = "db", Condition = "HEALTHY" }] };
        var task = await RunToEndAsync(Definition(db, app));
        Assert.Equal(0, task.Container("app").ExitCode);
        var changes = _changes.Where(c => c.TaskArn == task.TaskArn).ToList();
        var unhealthy = changes.FindIndex(c => c.Container("db").HealthStatus == HealthStatuses.Unhealthy);
        var healthy = changes.FindIndex(c => c.Container("db").HealthStatus == HealthStatuses.Healthy);
        var appStarted = changes.FindIndex(c => c.Container("app").LastStatus == "RUNNING" || c.Container("app").ExitCode is not null);
        Assert.True(unhealthy >= 0 && healthy > unhealthy, "db should go UNHEALTHY, then HEALTHY");
        Assert.True(appStarted > healthy, "app must start only after db is HEALTHY");
    }

    [Fact]
    public async Task Links_and_extraHosts_resolve_through_etc_hosts()
    {
        var db = Container("db", "sleep 600") with { Essential = false, StopTimeout = 1 };
        var app = Container("app", "cat /etc/hosts") with
        {
            Links = ["db:database"],
            ExtraHosts = [new HostEntry { Hostname = "registry.internal", IpAddress = "10.0.0.9" }],
        };
        var task = await RunToEndAsync(Definition(db, app));
        var log = Log(task, "app");
        Assert.Contains("stdout F 127.0.0.1\tdb database", log, StringComparison.Ordinal);
        Assert.Contains("stdout F 10.0.0.9\tregistry.internal", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_memory_hog_is_OOM_killed_and_reported_as_such()
    {
        var task = await RunToEndAsync(Definition(Container("hog", "tail /dev/zero", memory: 16)));
        var hog = task.Container("hog");
        Assert.True(hog.OomKilled);
        Assert.Equal(137, hog.ExitCode);
        Assert.StartsWith("OutOfMemoryError", hog.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_sends_the_stop_signal_then_SIGKILL_after_stopTimeout()
    {
        var polite = Container("polite", "trap 'exit 0' TERM; while true; do sleep 0.1; done") with { Essential = false };
        var stubborn = Container("stubborn", "sleep 300") with { StopTimeout = 2 };
        var arn = Arn();
        _engine.Run(arn, Definition(polite, stubborn), null, null);
        await WaitForAsync(arn, TaskStatus.Running);
        var stopping = DateTime.UtcNow;
        Assert.True(await _engine.StopAsync(arn, "test stop"));
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        var task = _engine.Tasks.Single(t => t.TaskArn == arn);
        Assert.Equal(TaskStopCodeValues.UserInitiated, task.StopCode);
        Assert.Equal("test stop", task.StoppedReason);
        Assert.Equal(0, task.Container("polite").ExitCode);
        Assert.Equal(137, task.Container("stubborn").ExitCode); // PID 1 ignores SIGTERM without a handler
        Assert.True(DateTime.UtcNow - stopping >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task DependsOn_SUCCESS_starts_the_app_after_its_init_container_succeeded()
    {
        var init = Container("init", "echo ready > /shared/flag") with
        {
            Essential = false,
            MountPoints = [new MountPoint { SourceVolume = "shared", ContainerPath = "/shared" }],
        };
        var app = Container("app", "cat /shared/flag; exit 3") with
        {
            DependsOn = [new ContainerDependency { ContainerName = "init", Condition = "SUCCESS" }],
            MountPoints = [new MountPoint { SourceVolume = "shared", ContainerPath = "/shared" }],
        };
        var task = await RunToEndAsync(Definition(init, app) with { Volumes = [new Volume { Name = "shared" }] });
        Assert.Equal(0, task.Container("init").ExitCode);
        Assert.Equal(3, task.Container("app").ExitCode);
        Assert.Contains("stdout F ready", Log(task, "app"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_image_fails_the_task_with_CannotPullContainerError_and_the_node_stays_healthy()
    {
        var task = await RunToEndAsync(Definition(Container("app", "true") with { Image = $"{node.Registry.Host}/does-not-exist:latest" }));
        Assert.Equal(TaskStopCodeValues.TaskFailedToStart, task.StopCode);
        Assert.StartsWith("CannotPullContainerError", task.Container("app").Reason, StringComparison.Ordinal);
        var next = await RunToEndAsync(Definition(Container("app", "exit 0")));
        Assert.Equal(0, next.Container("app").ExitCode);
    }

    [Fact]
    public async Task An_image_without_entrypoint_or_command_fails_with_CannotStartContainerError()
    {
        var task = await RunToEndAsync(Definition(new ContainerDefinition { Name = "app", Image = node.NoCommand, Essential = true, Memory = 32 }));
        Assert.Equal(TaskStopCodeValues.TaskFailedToStart, task.StopCode);
        Assert.StartsWith("CannotStartContainerError", task.Container("app").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mount_path_escaping_the_volume_fails_with_CannotStartContainerError()
    {
        var container = Container("app", "true") with { MountPoints = [new MountPoint { SourceVolume = "data", ContainerPath = "/data/../../etc" }] };
        var task = await RunToEndAsync(Definition(container) with { Volumes = [new Volume { Name = "data" }] });
        Assert.Equal(TaskStopCodeValues.TaskFailedToStart, task.StopCode);
        Assert.StartsWith("CannotStartContainerError", task.Container("app").Reason, StringComparison.Ordinal);
    }
}
