using Gantry.Agent.Sandbox;
using Gantry.Agent.Tests.Images;

namespace Gantry.Agent.Tests.Sandbox;

/// <summary>The task cgroup's files, written into a directory laid out as a cgroup mount (the real one is exercised by the runc tests).</summary>
public sealed class TaskCgroupTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Read(params string[] path) => File.ReadAllText(Path.Combine([_root.Path, .. path]));

    [Theory]
    [InlineData(256, 25000)]
    [InlineData(1024, 100000)]
    [InlineData(4096, 400000)]
    [InlineData(16384, 1600000)]
    public void Task_cpu_is_a_cfs_quota_of_cpu_over_1024_periods(int units, long quota)
    {
        Assert.Equal(quota, TaskCgroup.QuotaMicros(units));
    }

    [Fact]
    public void On_cgroup_v1_cpu_is_a_quota_and_memory_a_hard_limit_without_swap()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "cpu"));
        Directory.CreateDirectory(Path.Combine(_root.Path, "memory", "gantry", "t1"));
        File.WriteAllText(Path.Combine(_root.Path, "memory", "gantry", "t1", "memory.memsw.limit_in_bytes"), "9223372036854771712");

        new TaskCgroup(_root.Path).Create("t1", new TaskLimits(512, 1024, 2, 20));

        Assert.Equal("100000", Read("cpu", "gantry", "t1", "cpu.cfs_period_us"));
        Assert.Equal("50000", Read("cpu", "gantry", "t1", "cpu.cfs_quota_us"));
        Assert.Equal((1024 * MiB).ToString(), Read("memory", "gantry", "t1", "memory.limit_in_bytes"));
        Assert.Equal((1024 * MiB).ToString(), Read("memory", "gantry", "t1", "memory.memsw.limit_in_bytes"));
        Assert.Equal("/gantry/t1", TaskCgroup.PathOf("t1"));
    }

    [Fact]
    public void On_cgroup_v1_without_task_cpu_the_share_is_the_containers_sum_and_without_task_memory_nothing_is_limited()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "cpu"));

        new TaskCgroup(_root.Path).Create("t1", new TaskLimits(null, null, 768, 0));

        Assert.Equal("768", Read("cpu", "gantry", "t1", "cpu.shares"));
        Assert.False(File.Exists(Path.Combine(_root.Path, "cpu", "gantry", "t1", "cpu.cfs_quota_us")));
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "memory", "gantry", "t1")));
    }

    [Fact]
    public void On_cgroup_v2_the_controllers_are_delegated_and_cpu_max_memory_max_and_no_swap_are_written()
    {
        File.WriteAllText(Path.Combine(_root.Path, "cgroup.controllers"), "cpu memory pids");

        new TaskCgroup(_root.Path).Create("t1", new TaskLimits(256, 512, 2, 20));

        Assert.Equal("25000 100000", Read("gantry", "t1", "cpu.max"));
        Assert.Equal((512 * MiB).ToString(), Read("gantry", "t1", "memory.max"));
        Assert.Equal("0", Read("gantry", "t1", "memory.swap.max"));
        Assert.Equal("+cpu +memory", Read("cgroup.subtree_control"));
        Assert.Equal("+cpu +memory", Read("gantry", "cgroup.subtree_control"));
    }
}
