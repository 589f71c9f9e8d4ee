using System.Diagnostics;
using Gantry.Agent.Engine;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Agent.Sandbox;
using Gantry.Domain.Ecs;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Gantry.Agent.Tests.Engine;

/// <summary>
/// A FARGATE task on real runc + conmon, as a pool node runs it: its writable files on a filesystem of its ephemeral
/// storage size, one cgroup holding the task's cpu and memory as hard limits, and nothing left on the node once it stopped.
/// </summary>
[Trait("Category", "Runtime")]
public sealed class FargateIsolationTests(EngineFixture node, ITestOutputHelper output) : IClassFixture<EngineFixture>, IAsyncLifetime, IDisposable
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;
    private readonly HttpClient _http = new();
    private TaskEngine _engine = null!;
    private Gantry.Agent.Images.ImageStore _images = null!;

    public Task InitializeAsync()
    {
        (_engine, _images) = node.NewEngine(_http);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        _images.Dispose();
    }

    public void Dispose() => _http.Dispose();

    private static string Arn() => $"arn:aws:ecs:us-east-1:000000000000:task/pool/{Guid.NewGuid():N}";

    private static string IdOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    private TaskDefinition Definition(string script, string cpu = "256", string memory = "512", string network = "awsvpc") => new()
    {
        Family = "fargate",
        NetworkMode = network,
        Cpu = cpu,
        Memory = memory,
        RequiresCompatibilities = ["FARGATE"],
        ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = node.Busybox, Essential = true, Command = ["sh", "-c", script] }],
    };

    private static TaskLaunch Fargate(int storageGiB) => new(LaunchTypeValues.FARGATE, storageGiB, "arn:aws:ecs:us-east-1:000000000000:cluster/a");

    private AgentTask Current(string arn) => _engine.Tasks.Single(t => t.TaskArn == arn);

    private string Log(string arn) =>
        File.Exists(LogPath(arn)) ? File.ReadAllText(LogPath(arn)) : "";

    private string LogPath(string arn) => Path.Combine(node.StateDirectory, "logs", Current(arn).Container("app").RuntimeId + ".log");

    private string Sandbox(string arn) => Path.Combine(node.StateDirectory, "sandboxes", IdOf(arn));

    private static long FreeBytes(string path) => new DriveInfo(path).AvailableFreeSpace;

    private static async Task<string> LoopDevicesAsync() =>
        (await ProcessRunner.RunAsync("/usr/sbin/losetup", ["-a"], CancellationToken.None)).StandardOutput;

    [Fact]
    public async Task Writing_past_its_ephemeral_storage_gives_the_task_ENOSPC_and_the_node_disk_holds_at_most_the_cap()
    {
        var arn = Arn();
        var free = FreeBytes(node.StateDirectory);
        _engine.Run(arn, Definition("dd if=/dev/zero of=/tmp/fill bs=1M count=1536; echo \"dd exited $?\"; sleep 600"), null, null, Fargate(1));

        await WaitUntilAsync(() => Log(arn).Contains("dd exited", StringComparison.Ordinal), 120);
        var log = Log(arn);
        Assert.Contains("No space left on device", log, StringComparison.Ordinal);
        Assert.Contains("dd exited 1", log, StringComparison.Ordinal);
        // The node gave the task at most its 1 GiB (other builds share this disk: a little slack).
        var used = free - FreeBytes(node.StateDirectory);
        output.WriteLine($"node free space went down by {used / MiB} MiB for a 1 GiB task that tried to write 1.5 GiB");
        Assert.InRange(used, 0, GiB + (256 * MiB));
        // Everything it wrote is on its own filesystem: the writable layer and its /etc files.
        var sandbox = Sandbox(arn);
        var runtimeId = Current(arn).Container("app").RuntimeId;
        Assert.True(new FileInfo(Path.Combine(sandbox, "containers", runtimeId, "upper", "tmp", "fill")).Length > 900 * MiB);
        Assert.True(File.Exists(Path.Combine(sandbox, "etc", "app", "hosts")));
        Assert.Contains(IdOf(arn), await LoopDevicesAsync(), StringComparison.Ordinal);

        await _engine.StopAsync(arn, "done");
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(Directory.Exists(sandbox));
        Assert.False(File.Exists(sandbox + ".ext4"));
        Assert.DoesNotContain(IdOf(arn), await LoopDevicesAsync(), StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/sys/fs/cgroup/memory/gantry/{IdOf(arn)}"));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/cpu/gantry/{IdOf(arn)}"));
    }

    [Fact]
    public async Task The_task_memory_is_a_hard_limit_across_its_containers_and_its_cpu_a_quota()
    {
        var arn = Arn();
        var id = IdOf(arn);
        // The container itself has no memory limit: only the task's 32 MiB binds it.
        _engine.Run(arn, Definition("while [ ! -f /tmp/go ]; do sleep 0.1; done; tail /dev/zero", cpu: "256", memory: "32"), null, null, Fargate(1));
        await WaitUntilAsync(() => Current(arn).LastStatus == TaskStatus.Running, 120);
        var runtimeId = Current(arn).Container("app").RuntimeId;

        Assert.Equal("25000", (await File.ReadAllTextAsync($"/sys/fs/cgroup/cpu/gantry/{id}/cpu.cfs_quota_us")).Trim());
        Assert.Equal("100000", (await File.ReadAllTextAsync($"/sys/fs/cgroup/cpu/gantry/{id}/cpu.cfs_period_us")).Trim());
        Assert.Equal((32 * MiB).ToString(), (await File.ReadAllTextAsync($"/sys/fs/cgroup/memory/gantry/{id}/memory.limit_in_bytes")).Trim());
        Assert.Equal((32 * MiB).ToString(), (await File.ReadAllTextAsync($"/sys/fs/cgroup/memory/gantry/{id}/memory.memsw.limit_in_bytes")).Trim());
        Assert.True(Directory.Exists($"/sys/fs/cgroup/memory/gantry/{id}/{runtimeId}"), "the container's cgroup is inside the task's");

        var runtime = new ContainerRuntime(node.StateDirectory, TimeProvider.System, NullLogger<ContainerRuntime>.Instance);
        Assert.True((await runtime.ExecAsync(runtimeId, ["touch", "/tmp/go"], CancellationToken.None)).Succeeded);
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));

        var app = Current(arn).Container("app");
        Assert.Equal(137, app.ExitCode);
        Assert.True(app.OomKilled);
        Assert.StartsWith("OutOfMemoryError", app.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/sys/fs/cgroup/memory/gantry/{id}"));
    }

    [Theory]
    [InlineData("bridge", false, "CannotStartContainerError: network mode bridge is not supported for tasks with launch type FARGATE: only awsvpc")]
    [InlineData("host", false, "CannotStartContainerError: network mode host is not supported for tasks with launch type FARGATE: only awsvpc")]
    [InlineData("awsvpc", true, "CannotStartContainerError: container app: privileged is not supported for tasks with launch type FARGATE")]
    public async Task What_a_fargate_task_may_not_have_stops_it_before_anything_runs(string network, bool privileged, string reason)
    {
        var arn = Arn();
        var definition = Definition("true", network: network);
        definition = definition with { ContainerDefinitions = [definition.ContainerDefinitions![0] with { Privileged = privileged }] };
        _engine.Run(arn, definition, null, null, Fargate(1));
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));

        var task = Current(arn);
        Assert.Equal(TaskStopCodeValues.TaskFailedToStart, task.StopCode);
        Assert.Equal(reason, task.StoppedReason);
        Assert.False(task.Container("app").Created);
        Assert.False(Directory.Exists(Sandbox(arn)));
    }

    [Fact]
    public async Task A_restarted_agent_keeps_a_running_task_storage_and_releases_what_a_crash_left_behind()
    {
        var arn = Arn();
        _engine.Run(arn, Definition("echo kept > /tmp/kept; sleep 600"), null, null, Fargate(1));
        await WaitUntilAsync(() => Current(arn).LastStatus == TaskStatus.Running, 120);
        await _engine.DisposeAsync(); // the agent goes away; the task keeps running on its storage
        _images.Dispose();
        // A crash between making a sandbox and saving its task: storage and cgroup no task state refers to.
        var orphan = Guid.NewGuid().ToString("N");
        await node.Sandboxes.EnsureAsync(orphan, new TaskLimits(256, 64, 2, 1), CancellationToken.None);

        (_engine, _images) = node.NewEngine(_http);
        await _engine.ResumeAsync(CancellationToken.None);

        Assert.False(Directory.Exists(Path.Combine(node.StateDirectory, "sandboxes", orphan)));
        Assert.False(Directory.Exists($"/sys/fs/cgroup/memory/gantry/{orphan}"));
        Assert.DoesNotContain(orphan, await LoopDevicesAsync(), StringComparison.Ordinal);
        Assert.Equal(TaskStatus.Running, Current(arn).LastStatus);
        var runtimeId = Current(arn).Container("app").RuntimeId;
        Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(Sandbox(arn), "containers", runtimeId, "upper", "tmp", "kept")));

        await _engine.StopAsync(arn, "done");
        await _engine.WhenStoppedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(Directory.Exists(Sandbox(arn)));
        Assert.DoesNotContain(IdOf(arn), await LoopDevicesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_of_the_default_size_takes_the_formatted_spare_and_a_new_spare_is_made_after_it()
    {
        var sandboxes = node.Sandboxes;
        var spare = Path.Combine(node.StateDirectory, "sandboxes-spare", "20.ext4");
        string[] ids = [Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N")];
        static async Task<string> InodeAsync(string path) =>
            (await Gantry.Agent.Runtime.Conmon.ProcessRunner.RunAsync("/usr/bin/stat", ["-c", "%i", path], CancellationToken.None)).StandardOutput.Trim();
        async Task SpareMadeAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(spare))
            {
                Assert.True(DateTime.UtcNow < deadline, "no spare was made");
                await Task.Delay(20);
            }
        }
        try
        {
            await sandboxes.EnsureAsync(ids[0], new TaskLimits(256, 512, 2, 20), CancellationToken.None);
            await SpareMadeAsync();
            var spareInode = await InodeAsync(spare);

            var sandbox = await sandboxes.EnsureAsync(ids[1], new TaskLimits(256, 512, 2, 20), CancellationToken.None);

            Assert.Equal(spareInode, await InodeAsync(Path.Combine(node.StateDirectory, "sandboxes", ids[1] + ".ext4")));
            Assert.InRange(new DriveInfo(sandbox.StorageRoot!).TotalSize, 15 * GiB, 20 * GiB);
            await SpareMadeAsync();
            Assert.NotEqual(spareInode, await InodeAsync(spare));
            // The spare is no task's: a sweep keeping nothing leaves it.
            await sandboxes.SweepAsync(new HashSet<string>(), CancellationToken.None);
            Assert.True(File.Exists(spare));
        }
        finally
        {
            foreach (var id in ids)
            {
                await sandboxes.ReleaseAsync(id, CancellationToken.None);
            }
        }
    }

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public async Task Making_the_storage_writes_a_few_MiB_whatever_its_size_and_takes_milliseconds(int sizeGiB)
    {
        var sandboxes = node.Sandboxes;
        var id = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        var sandbox = await sandboxes.EnsureAsync(id, new TaskLimits(256, 512, 2, sizeGiB), CancellationToken.None);
        var elapsed = clock.Elapsed;
        try
        {
            var image = Path.Combine(node.StateDirectory, "sandboxes", id + ".ext4");
            var drive = new DriveInfo(sandbox.StorageRoot!);
            Assert.InRange(drive.TotalSize, (sizeGiB - 5) * GiB, sizeGiB * GiB);
            var allocated = await AllocatedAsync(image);
            output.WriteLine($"{sizeGiB} GiB: cgroup + sparse file + mkfs.ext4 + loop mount in {elapsed.TotalMilliseconds:F0} ms, {allocated / 1024} KiB on disk");
            Assert.InRange(allocated, 0, 32 * MiB);
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        }
        finally
        {
            await sandboxes.ReleaseAsync(id, CancellationToken.None);
        }
        Assert.False(Directory.Exists(Path.Combine(node.StateDirectory, "sandboxes", id)));
    }

    private static async Task<long> AllocatedAsync(string file)
    {
        var du = await ProcessRunner.RunAsync("/usr/bin/du", ["-k", "--", file], CancellationToken.None);
        return long.Parse(du.StandardOutput.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"condition not met within {seconds} s");
            await Task.Delay(100);
        }
    }
}
