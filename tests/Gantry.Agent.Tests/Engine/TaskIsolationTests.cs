using Gantry.Agent.Engine;
using Gantry.Agent.Runtime.Spec;
using Gantry.Agent.Sandbox;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Engine;

/// <summary>What a task holds beyond its containers, by launch type, and what a Fargate task is refused at the node.</summary>
public sealed class TaskIsolationTests
{
    private static readonly TaskLaunch Fargate = new(LaunchTypeValues.FARGATE);

    private static TaskDefinition Definition(string? cpu = "256", string? memory = "512", string network = "awsvpc", params ContainerDefinition[] containers) => new()
    {
        Family = "web",
        NetworkMode = network,
        Cpu = cpu,
        Memory = memory,
        ContainerDefinitions = containers.Length == 0 ? [new ContainerDefinition { Name = "app", Image = "busybox" }] : containers,
    };

    private static AgentTask Task(TaskDefinition definition, TaskLaunch? launch, TaskOverride? overrides = null) =>
        new("arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef", definition, overrides, TaskStatus.Running, TaskStatus.Provisioning,
            [.. definition.ContainerDefinitions!.Select(c => new AgentContainer(c.Name!, "id-" + c.Name, "PENDING"))], DateTimeOffset.UnixEpoch, Launch: launch);

    private static string Refusal(TaskDefinition definition, TaskLaunch? launch = null) =>
        Assert.Throws<CannotStartContainerException>(() => TaskIsolation.Limits(Task(definition, launch ?? Fargate))).Message;

    [Fact]
    public void A_fargate_task_gets_hard_cpu_and_memory_limits_and_20_GiB_of_storage_by_default()
    {
        Assert.Equal(new TaskLimits(256, 512, 2, 20), TaskIsolation.Limits(Task(Definition(), Fargate)));
        Assert.Equal(new TaskLimits(256, 512, 2, 50), TaskIsolation.Limits(Task(Definition(), Fargate with { EphemeralStorageGiB = 50 })));
    }

    [Fact]
    public void Task_overrides_of_cpu_and_memory_size_the_limits()
    {
        var limits = TaskIsolation.Limits(Task(Definition(), Fargate, new TaskOverride { Cpu = "1024", Memory = "2048" }));
        Assert.Equal(new TaskLimits(1024, 2048, 2, 20), limits);
    }

    [Fact]
    public void An_ec2_task_without_task_level_cpu_or_memory_needs_no_sandbox()
    {
        Assert.Null(TaskIsolation.Limits(Task(Definition(null, null, "bridge"), TaskLaunch.Ec2)));
        Assert.Null(TaskIsolation.Limits(Task(Definition(null, null, "bridge"), launch: null)));
        Assert.False(TaskIsolation.MayHoldSandbox(Task(Definition(null, null, "bridge"), TaskLaunch.Ec2)));
    }

    [Fact]
    public void An_ec2_task_with_task_memory_is_hard_limited_with_its_containers_cpu_summed_as_shares_and_no_storage_cap()
    {
        var definition = Definition(null, "1024", "bridge",
            new ContainerDefinition { Name = "a", Cpu = 300 }, new ContainerDefinition { Name = "b", Cpu = 200 });
        // ECS documents ephemeralStorage for Fargate only: an EC2 task writes to the node's disk as before.
        var limits = TaskIsolation.Limits(Task(definition, TaskLaunch.Ec2 with { EphemeralStorageGiB = 30 }));
        Assert.Equal(new TaskLimits(null, 1024, 500, 0), limits);
        Assert.True(TaskIsolation.MayHoldSandbox(Task(definition, TaskLaunch.Ec2)));
    }

    [Fact]
    public void A_container_asking_more_memory_than_its_task_has_is_refused_on_every_launch_type()
    {
        var definition = Definition("256", "512", "awsvpc", new ContainerDefinition { Name = "big", Memory = 1024 });
        const string Reason = "CannotStartContainerError: container big: memory limit (1024 MiB) is greater than the task's memory (512 MiB)";
        Assert.Equal(Reason, Refusal(definition));
        Assert.Equal(Reason, Refusal(definition, TaskLaunch.Ec2));
    }

    [Theory]
    [InlineData("bridge")]
    [InlineData("host")]
    [InlineData("none")]
    public void A_fargate_task_runs_only_in_awsvpc(string network)
    {
        Assert.Equal($"CannotStartContainerError: network mode {network} is not supported for tasks with launch type FARGATE: only awsvpc",
            Refusal(Definition(network: network)));
    }

    [Fact]
    public void A_fargate_task_without_task_cpu_or_memory_is_refused()
    {
        Assert.Equal("CannotStartContainerError: task-level cpu and memory are required for tasks with launch type FARGATE", Refusal(Definition(cpu: null)));
        Assert.Equal("CannotStartContainerError: task-level cpu and memory are required for tasks with launch type FARGATE", Refusal(Definition(memory: null)));
    }

    [Fact]
    public void Host_pid_ipc_and_host_volumes_are_refused_for_fargate()
    {
        Assert.Equal("CannotStartContainerError: pidMode host is not supported for tasks with launch type FARGATE", Refusal(Definition() with { PidMode = "host" }));
        Assert.Equal("CannotStartContainerError: ipcMode is not supported for tasks with launch type FARGATE", Refusal(Definition() with { IpcMode = "host" }));
        var volumes = Definition() with { Volumes = [new Volume { Name = "scratch" }, new Volume { Name = "etc", Host = new HostVolumeProperties { SourcePath = "/etc" } }] };
        Assert.Equal("CannotStartContainerError: volume etc: host volumes (host.sourcePath) are not supported for tasks with launch type FARGATE", Refusal(volumes));
    }

    [Fact]
    public void Container_asks_are_refused_before_anything_is_pulled()
    {
        var definition = Definition("256", "512", "awsvpc", new ContainerDefinition { Name = "app" },
            new ContainerDefinition { Name = "root", Privileged = true });
        Assert.Equal("CannotStartContainerError: container root: privileged is not supported for tasks with launch type FARGATE", Refusal(definition));
    }

    [Fact]
    public void The_same_definition_on_ec2_keeps_its_host_asks()
    {
        var definition = Definition("256", "512", "host", new ContainerDefinition { Name = "root", Privileged = true }) with { PidMode = "host" };
        Assert.Equal(new TaskLimits(256, 512, 2, 0), TaskIsolation.Limits(Task(definition, TaskLaunch.Ec2)));
    }
}
