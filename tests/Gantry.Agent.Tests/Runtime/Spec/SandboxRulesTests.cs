using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

/// <summary>A Fargate container's spec: nothing of the host, whatever its definition asks.</summary>
public sealed class SandboxRulesTests
{
    private const string Root = "/state/sandboxes/t1";

    private static ContainerLaunch Launch(ContainerDefinition definition, NetworkSetup network = NetworkSetup.Join, IReadOnlyList<HostMount>? mounts = null) =>
        SpecFixtures.Launch(definition, network: network, networkNamespacePath: network == NetworkSetup.Join ? "/run/netns/gantry-t1" : null, mounts: mounts) with
        {
            HostsFile = $"{Root}/etc/app/hosts",
            HostnameFile = $"{Root}/etc/app/hostname",
            ResolvConfFile = $"{Root}/etc/app/resolv.conf",
            SandboxRoot = Root,
        };

    private static string Refusal(ContainerLaunch launch) =>
        Assert.Throws<CannotStartContainerException>(() => RuntimeSpecBuilder.Build(launch, SpecFixtures.Options)).Message;

    [Fact]
    public void A_fargate_container_gets_its_own_pid_ipc_uts_and_mount_namespaces_and_joins_the_task_network()
    {
        var spec = RuntimeSpecBuilder.Build(Launch(SpecFixtures.Definition()), SpecFixtures.Options);

        Assert.Equal(["pid", "network", "ipc", "uts", "mount"], spec.Linux.Namespaces.Select(n => n.Type));
        Assert.Equal("/run/netns/gantry-t1", spec.Linux.Namespaces.Single(n => n.Type == "network").Path);
        Assert.All(spec.Linux.Namespaces.Where(n => n.Type != "network"), n => Assert.Null(n.Path));
        Assert.Null(spec.Linux.Devices);
        Assert.Equal([new LinuxDeviceCgroup { Allow = false, Access = "rwm" }], spec.Linux.Resources!.Devices);
        Assert.Equal(CapabilitySetDefaults, spec.Process.Capabilities!.Bounding.Order());
    }

    private static readonly IEnumerable<string> CapabilitySetDefaults =
        new[] { "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE" }
            .Select(c => "CAP_" + c).Order();

    [Fact]
    public void Memory_of_a_fargate_container_has_no_swap_beyond_its_limit()
    {
        var memory = RuntimeSpecBuilder.Build(Launch(SpecFixtures.Definition() with { Memory = 256 }), SpecFixtures.Options).Linux.Resources!.Memory!;
        Assert.Equal(memory.Limit, memory.Swap);
    }

    [Fact]
    public void Sys_ptrace_is_the_one_capability_a_fargate_container_may_add()
    {
        var definition = SpecFixtures.Definition(new LinuxParameters { Capabilities = new KernelCapabilities { Add = ["sys_ptrace"] } });
        Assert.Contains("CAP_SYS_PTRACE", RuntimeSpecBuilder.Build(Launch(definition), SpecFixtures.Options).Process.Capabilities!.Bounding);
    }

    [Theory]
    [InlineData("NET_ADMIN", "linuxParameters.capabilities.add NET_ADMIN is not supported for tasks with launch type FARGATE: only SYS_PTRACE can be added")]
    [InlineData("ALL", "linuxParameters.capabilities.add ALL is not supported")]
    [InlineData("CAP_SYS_ADMIN", "linuxParameters.capabilities.add SYS_ADMIN is not supported")]
    public void Any_other_added_capability_is_refused(string capability, string reason)
    {
        var definition = SpecFixtures.Definition(new LinuxParameters { Capabilities = new KernelCapabilities { Add = ["SYS_PTRACE", capability] } });
        Assert.StartsWith($"CannotStartContainerError: container app: {reason}", Refusal(Launch(definition)), StringComparison.Ordinal);
    }

    [Fact]
    public void Privileged_devices_and_swap_are_refused()
    {
        Assert.Equal("CannotStartContainerError: container app: privileged is not supported for tasks with launch type FARGATE",
            Refusal(Launch(SpecFixtures.Definition() with { Privileged = true })));
        Assert.Equal("CannotStartContainerError: container app: linuxParameters.devices is not supported for tasks with launch type FARGATE",
            Refusal(Launch(SpecFixtures.Definition(new LinuxParameters { Devices = [new Device { HostPath = "/dev/null" }] }))));
        Assert.Equal("CannotStartContainerError: container app: linuxParameters.maxSwap is not supported for tasks with launch type FARGATE",
            Refusal(Launch(SpecFixtures.Definition(new LinuxParameters { MaxSwap = 100 }) with { Memory = 64 })));
    }

    [Fact]
    public void The_host_network_is_refused()
    {
        Assert.Equal("CannotStartContainerError: container app: the host's network is not available for tasks with launch type FARGATE",
            Refusal(Launch(SpecFixtures.Definition(), NetworkSetup.Host)));
    }

    [Theory]
    [InlineData("/var/lib/data")]
    [InlineData("/state/sandboxes/t1/../t2/volumes/v")]
    [InlineData("/state/sandboxes/t1-other/volumes/v")]
    public void A_host_path_outside_the_task_storage_is_refused(string source)
    {
        var launch = Launch(SpecFixtures.Definition(), mounts: [new HostMount(source, "/data", false)]);
        Assert.StartsWith($"CannotStartContainerError: container app: host path {source} is not available for tasks with launch type FARGATE", Refusal(launch), StringComparison.Ordinal);
    }

    [Fact]
    public void Task_volumes_inside_the_task_storage_are_mounted()
    {
        var launch = Launch(SpecFixtures.Definition(), mounts: [new HostMount($"{Root}/volumes/scratch", "/scratch", false)]);
        Assert.Contains(RuntimeSpecBuilder.Build(launch, SpecFixtures.Options).Mounts, m => m.Source == $"{Root}/volumes/scratch" && m.Destination == "/scratch");
    }

    [Fact]
    public void Without_a_sandbox_an_ec2_container_keeps_what_it_asks_for()
    {
        var definition = SpecFixtures.Definition(new LinuxParameters { Capabilities = new KernelCapabilities { Add = ["NET_ADMIN"] } }) with { Privileged = false };
        var spec = RuntimeSpecBuilder.Build(SpecFixtures.Launch(definition, network: NetworkSetup.Host, mounts: [new HostMount("/var/lib/data", "/data", false)]), SpecFixtures.Options);
        Assert.Contains("CAP_NET_ADMIN", spec.Process.Capabilities!.Bounding);
        Assert.Contains(spec.Mounts, m => m.Source == "/var/lib/data");
    }
}
