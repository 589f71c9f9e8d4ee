using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class ResourceTests
{
    private const long MiB = 1024 * 1024;

    [Theory]
    [InlineData(null, 2ul)]
    [InlineData(0, 2ul)]
    [InlineData(1, 2ul)]
    [InlineData(512, 512ul)]
    [InlineData(300000, 262144ul)]
    public void Cpu_units_become_shares_with_the_ecs_agent_bounds(int? cpu, ulong shares)
    {
        var spec = SpecFixtures.Build(SpecFixtures.Definition() with { Cpu = cpu });
        Assert.Equal(shares, spec.Linux.Resources!.Cpu!.Shares);
    }

    [Fact]
    public void Memory_is_a_hard_limit_reservation_a_soft_one_and_there_is_no_swap()
    {
        var memory = SpecFixtures.Build(SpecFixtures.Definition() with { Memory = 512, MemoryReservation = 256 }).Linux.Resources!.Memory!;
        Assert.Equal(new LinuxMemory { Limit = 512 * MiB, Reservation = 256 * MiB, Swap = 512 * MiB }, memory);
    }

    [Fact]
    public void Reservation_alone_sets_no_hard_limit_and_nothing_sets_no_memory()
    {
        Assert.Equal(new LinuxMemory { Reservation = 128 * MiB }, SpecFixtures.Build(SpecFixtures.Definition() with { MemoryReservation = 128 }).Linux.Resources!.Memory);
        Assert.Null(SpecFixtures.Build(SpecFixtures.Definition()).Linux.Resources!.Memory);
    }

    [Fact]
    public void Max_swap_adds_swap_above_the_limit_with_its_swappiness()
    {
        var definition = SpecFixtures.Definition(new LinuxParameters { MaxSwap = 100, Swappiness = 10 }) with { Memory = 200 };
        Assert.Equal(new LinuxMemory { Limit = 200 * MiB, Swap = 300 * MiB, Swappiness = 10 }, SpecFixtures.Build(definition).Linux.Resources!.Memory);
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(100, 200)]
    public void Impossible_memory_is_refused(int memory, int? reservation)
    {
        Assert.Throws<CannotStartContainerException>(() => SpecFixtures.Build(SpecFixtures.Definition() with { Memory = memory, MemoryReservation = reservation }));
    }

    [Fact]
    public void Pids_limit_defaults_to_4096_and_is_an_option()
    {
        Assert.Equal(4096, SpecFixtures.Build(SpecFixtures.Definition()).Linux.Resources!.Pids!.Limit);
        var spec = RuntimeSpecBuilder.Build(SpecFixtures.Launch(), SpecFixtures.Options with { PidsLimit = 100 });
        Assert.Equal(100, spec.Linux.Resources!.Pids!.Limit);
    }

    [Fact]
    public void Default_rlimits_are_nofile_1024_soft_20000_hard()
    {
        Assert.Equal([new SpecRlimit { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 20000 }], SpecFixtures.Build(SpecFixtures.Definition()).Process.Rlimits);
    }

    [Fact]
    public void Definition_ulimits_become_rlimits_and_replace_the_nofile_default()
    {
        var definition = SpecFixtures.Definition() with
        {
            Ulimits = [new Ulimit { Name = "nofile", SoftLimit = 4096, HardLimit = 8192 }, new Ulimit { Name = "core", SoftLimit = -1, HardLimit = -1 }],
        };
        Assert.Equal(
            [new SpecRlimit { Type = "RLIMIT_NOFILE", Soft = 4096, Hard = 8192 }, new SpecRlimit { Type = "RLIMIT_CORE", Soft = ulong.MaxValue, Hard = ulong.MaxValue }],
            SpecFixtures.Build(definition).Process.Rlimits);
    }

    [Theory]
    [InlineData("nofile", 1024, 65536, "CannotStartContainerError: ulimit nofile: hard limit 65536 exceeds 20000, the most this container instance allows")]
    [InlineData("nproc", 1024, 40000, "CannotStartContainerError: ulimit nproc: hard limit 40000 exceeds 32768, the most this container instance allows")]
    [InlineData("nofile", -1, -1, "CannotStartContainerError: ulimit nofile: hard limit unlimited exceeds 20000, the most this container instance allows")]
    [InlineData("nofile", 4096, 1024, "CannotStartContainerError: ulimit nofile: soft limit 4096 is greater than hard limit 1024")]
    [InlineData("files", 1, 1, "CannotStartContainerError: invalid ulimit name files")]
    public void Ulimits_the_host_cannot_grant_are_refused(string name, int soft, int hard, string reason)
    {
        var definition = SpecFixtures.Definition() with { Ulimits = [new Ulimit { Name = name, SoftLimit = soft, HardLimit = hard }] };
        Assert.Equal(reason, Assert.Throws<CannotStartContainerException>(() => SpecFixtures.Build(definition)).Message);
    }

    [Fact]
    public void The_ceilings_are_a_parameter()
    {
        var definition = SpecFixtures.Definition() with { Ulimits = [new Ulimit { Name = "nofile", SoftLimit = 1024, HardLimit = 65536 }] };
        var options = SpecFixtures.Options with { RlimitCeilings = new Dictionary<string, ulong> { ["nofile"] = 1048576 } };
        Assert.Equal(65536ul, RuntimeSpecBuilder.Build(SpecFixtures.Launch(definition), options).Process.Rlimits[0].Hard);
    }

    [Fact]
    public void System_controls_become_namespaced_sysctls_only()
    {
        var definition = SpecFixtures.Definition() with { SystemControls = [new SystemControl { Namespace = "net.core.somaxconn", Value = "1024" }] };
        Assert.Equal(new Dictionary<string, string> { ["net.core.somaxconn"] = "1024" }, SpecFixtures.Build(definition).Linux.Sysctl);
        Assert.Throws<CannotStartContainerException>(() => RuntimeSpecBuilder.Build(SpecFixtures.Launch(definition, network: NetworkSetup.Host), SpecFixtures.Options));
        Assert.Throws<CannotStartContainerException>(() =>
            SpecFixtures.Build(SpecFixtures.Definition() with { SystemControls = [new SystemControl { Namespace = "vm.swappiness", Value = "0" }] }));
    }
}
