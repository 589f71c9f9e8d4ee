using Gantry.Agent.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Simulator.Tests;

/// <summary>The agent's part a simulated node plays for one task: statuses only move forward, a task is forgotten only once stopped.</summary>
public sealed class NodeTasksTests
{
    private const string Arn = "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef";
    private static readonly RunTask Run = new()
    {
        TaskArn = Arn,
        TaskDefinitionJson = """{"family":"f","containerDefinitions":[{"name":"app","image":"busybox","healthCheck":{"command":["CMD","true"]}},{"name":"log","image":"busybox"}]}""",
    };

    [Fact]
    public void A_task_is_pending_then_running_with_its_containers_running_and_healthy()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var tasks = new NodeTasks(time);
        var pending = tasks.Run(Run)!.ToState();
        Assert.Equal("PENDING", pending.LastStatus);
        Assert.Equal(["PENDING", "PENDING"], pending.Containers.Select(c => c.LastStatus));
        Assert.Null(tasks.Run(Run));

        time.Advance(TimeSpan.FromSeconds(1));
        var running = tasks.MarkRunning(Arn)!.ToState();
        Assert.Equal("RUNNING", running.LastStatus);
        Assert.Equal("HEALTHY", running.HealthStatus);
        Assert.Equal(["RUNNING", "RUNNING"], running.Containers.Select(c => c.LastStatus));
        Assert.Equal(["HEALTHY", ""], running.Containers.Select(c => c.HealthStatus));
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), running.StartedAtMs);
        Assert.All(running.Containers, c => Assert.Equal(64, c.RuntimeId.Length));
        Assert.Null(tasks.MarkRunning(Arn));
    }

    [Fact]
    public void A_task_stopped_while_pending_never_runs_and_is_forgotten_only_once_stopped()
    {
        var tasks = new NodeTasks(TimeProvider.System);
        tasks.Run(Run);
        tasks.Forget(Arn);
        Assert.Single(tasks.All());

        var stopped = tasks.Stop(Arn, "Scaling activity", "ServiceSchedulerInitiated")!.ToState();
        Assert.Equal("STOPPED", stopped.LastStatus);
        Assert.Equal("ServiceSchedulerInitiated", stopped.StopCode);
        Assert.Equal("Scaling activity", stopped.StoppedReason);
        Assert.All(stopped.Containers, c => Assert.False(c.HasExitCode));
        Assert.Null(tasks.MarkRunning(Arn));
        Assert.Null(tasks.Stop(Arn, "again", "UserInitiated"));
        Assert.Single(tasks.Unrecorded());

        tasks.Forget(Arn);
        Assert.Empty(tasks.All());
    }

    [Fact]
    public void Nodes_are_spread_over_the_zones_with_an_instance_type_of_their_resources()
    {
        var settings = new SimulatorSettings([new Uri("http://127.0.0.1:1")], "t", "c", 6, TimeSpan.Zero, Zones: 3, Region: "eu-west-1", CpuUnits: 4096, MemoryMib: 16384);
        var profiles = Enumerable.Range(0, 6).Select(i => NodeProfile.For(settings, "0badcafe", i)).ToList();
        Assert.Equal(["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1c"], profiles.Select(p => p.AvailabilityZone));
        Assert.Equal(6, profiles.Select(p => p.InstanceId).Distinct().Count());
        Assert.All(profiles, p => Assert.Matches("^i-[0-9a-f]{17}$", p.InstanceId));
        Assert.Equal("m5.xlarge", profiles[0].InstanceType);
        Assert.Equal("c5.2xlarge", NodeProfile.InstanceTypeOf(8192, 16384));
        Assert.Equal("r5.large", NodeProfile.InstanceTypeOf(2048, 16384));

        var register = profiles[0].Registration(settings, []);
        Assert.Contains(register.Attributes, a => a.Name == "ecs.capability.task-eni");
        Assert.Contains(register.Attributes, a => a.Name == "ecs.os-type" && a.Value == "linux");
        Assert.Equal([22, 2375, 2376, 51678, 51679], register.ReservedPorts);
    }
}
