using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class DeviceTests
{
    [Fact]
    public void A_host_device_becomes_a_node_and_an_allow_rule_after_deny_all()
    {
        var definition = SpecFixtures.Definition(new LinuxParameters
        {
            Devices = [new Device { HostPath = "/dev/null", ContainerPath = "/dev/host-null", Permissions = ["read", "write"] }],
        });
        var spec = SpecFixtures.Build(definition);
        var node = Assert.Single(spec.Linux.Devices!);
        Assert.Equal(("/dev/host-null", "c", 1L, 3L), (node.Path, node.Type, node.Major, node.Minor));
        Assert.Equal(
            [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }, new LinuxDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" }],
            spec.Linux.Resources!.Devices);
    }

    [Theory]
    [InlineData("/etc/hostname")]
    [InlineData("/dev/does-not-exist")]
    [InlineData("dev/null")]
    public void A_path_that_is_not_a_host_device_is_refused(string hostPath)
    {
        var definition = SpecFixtures.Definition(new LinuxParameters { Devices = [new Device { HostPath = hostPath }] });
        Assert.Throws<CannotStartContainerException>(() => SpecFixtures.Build(definition));
    }
}
