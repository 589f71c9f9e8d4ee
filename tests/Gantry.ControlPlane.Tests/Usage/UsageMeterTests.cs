using Gantry.ControlPlane.Usage;
using Gantry.Domain.Ecs;
using static Gantry.ControlPlane.Tests.Usage.UsageTasks;

namespace Gantry.ControlPlane.Tests.Usage;

/// <summary>Fargate's billing arithmetic: per second rounded up, one minute at least, vCPU and GB from the task's size, windows clipped.</summary>
public sealed class UsageMeterTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 60)]
    [InlineData(59_999, 60)]
    [InlineData(60_000, 60)]
    [InlineData(60_001, 61)]
    [InlineData(90_500, 91)]
    [InlineData(3_600_000, 3600)]
    [InlineData(-5_000, 60)] // a stop before the start (clocks apart) still costs the minimum
    public void Runs_are_billed_per_second_rounded_up_with_a_one_minute_minimum(long milliseconds, long billed) =>
        Assert.Equal(billed, UsageMeter.BilledSeconds(T0, T0.AddMilliseconds(milliseconds)));

    [Fact]
    public void A_stopped_Fargate_task_costs_its_billed_seconds_times_vCPU_and_GB_from_pull_start_to_its_containers_stop()
    {
        var record = Running("c1", "a", FargateDefinition("web", cpu: "512", memory: "2048"), T0);
        record = record with { Task = record.Task with { LastStatus = "STOPPED", ExecutionStoppedAt = T0.AddSeconds(120.2), StoppedAt = T0.AddSeconds(125) } };

        var usage = UsageMeter.Measure(record, T0.AddHours(1))!;

        Assert.Equal(T0, usage.BillingStart);
        Assert.Equal(T0.AddSeconds(120.2), usage.Stop);
        Assert.Equal(121, usage.BilledSeconds);
        Assert.Equal(121 * 0.5, usage.VcpuSeconds, 9);
        Assert.Equal(121 * 2.0, usage.GbSeconds, 9);
        Assert.Equal(("web", 3, "FARGATE", "FARGATE"), (usage.Family, usage.Revision, usage.LaunchType, usage.CapacityProvider));
        Assert.Null(usage.Service);
    }

    [Fact]
    public void A_task_that_never_pulled_costs_nothing_and_a_service_task_names_its_service()
    {
        Assert.Null(UsageMeter.Measure(Running("c1", "a", FargateDefinition("web"), pullStartedAt: null), T0));
        var service = UsageMeter.Measure(Running("c1", "b", FargateDefinition("web"), T0, group: "service:shop"), T0.AddSeconds(10))!;
        Assert.Equal("shop", service.Service);
        Assert.Equal(60, service.BilledSeconds); // running 10 s: it costs the minute already
    }

    [Fact]
    public void An_EC2_task_without_task_level_size_is_billed_for_its_containers_reservations()
    {
        var definition = new TaskDefinition
        {
            Family = "batch",
            Revision = 1,
            ContainerDefinitions =
            [
                new ContainerDefinition { Name = "a", Image = "busybox", Cpu = 256, Memory = 512 },
                new ContainerDefinition { Name = "b", Image = "busybox", Cpu = 128, MemoryReservation = 256 },
                new ContainerDefinition { Name = "c", Image = "busybox", Memory = 256, MemoryReservation = 128 },
            ],
        };
        var record = Running("c1", "a", definition, T0, launchType: "EC2");

        var usage = UsageMeter.Measure(record, T0.AddSeconds(200))!;

        Assert.Equal(("EC2", 384, 1024), (usage.LaunchType, usage.Cpu, usage.Memory));
        Assert.Equal(200 * 0.375, usage.VcpuSeconds, 9);
        Assert.Equal(200 * 1.0, usage.GbSeconds, 9);
        var sized = UsageMeter.Measure(Running("c1", "b", definition with { Cpu = "1024", Memory = "3072" }, T0, launchType: "EC2"), T0.AddSeconds(200))!;
        Assert.Equal((1024, 3072), (sized.Cpu, sized.Memory));
    }

    [Fact]
    public void A_window_counts_only_the_part_of_the_billed_period_inside_it_and_adjacent_windows_add_up()
    {
        // Billed period [T0, T0 + 600 s).
        Assert.Equal(600, UsageMeter.SecondsInside(T0, 600, null, null));
        Assert.Equal(400, UsageMeter.SecondsInside(T0, 600, T0.AddSeconds(200), null));
        Assert.Equal(200, UsageMeter.SecondsInside(T0, 600, null, T0.AddSeconds(200)));
        Assert.Equal(100, UsageMeter.SecondsInside(T0, 600, T0.AddSeconds(100), T0.AddSeconds(200)));
        Assert.Equal(0, UsageMeter.SecondsInside(T0, 600, T0.AddSeconds(600), null));
        Assert.Equal(0, UsageMeter.SecondsInside(T0, 600, null, T0));
        Assert.Equal(600, UsageMeter.SecondsInside(T0, 600, T0.AddHours(-1), T0.AddHours(1)));
        // The minute of a 10-second task lies at its start: a window from its 30th second counts the other 30.
        var minimum = UsageMeter.BilledSeconds(T0, T0.AddSeconds(10));
        Assert.Equal(30, UsageMeter.SecondsInside(T0, minimum, T0.AddSeconds(30), null));
        var split = T0.AddSeconds(123.456);
        Assert.Equal(600, UsageMeter.SecondsInside(T0, 600, null, split) + UsageMeter.SecondsInside(T0, 600, split, null), 9);
    }
}
