using Gantry.Agent.Runtime.Spec;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class NamespaceTests
{
    private static RuntimeSpec Build(NetworkSetup network, string? path = null, bool disableNetworking = false) =>
        RuntimeSpecBuilder.Build(
            SpecFixtures.Launch(SpecFixtures.Definition() with { DisableNetworking = disableNetworking }, network: network, networkNamespacePath: path),
            SpecFixtures.Options);

    [Fact]
    public void Isolated_gets_a_new_network_namespace()
    {
        Assert.Equal(
            [new LinuxNamespace { Type = "pid" }, new LinuxNamespace { Type = "network" }, new LinuxNamespace { Type = "ipc" }, new LinuxNamespace { Type = "uts" }, new LinuxNamespace { Type = "mount" }],
            Build(NetworkSetup.Isolated).Linux.Namespaces);
    }

    [Fact]
    public void Host_lists_no_network_namespace()
    {
        Assert.Equal(["pid", "ipc", "uts", "mount"], Build(NetworkSetup.Host).Linux.Namespaces.Select(n => n.Type));
    }

    [Fact]
    public void Join_enters_the_given_namespace()
    {
        var network = Build(NetworkSetup.Join, "/var/run/netns/task1").Linux.Namespaces.Single(n => n.Type == "network");
        Assert.Equal("/var/run/netns/task1", network.Path);
        Assert.Throws<ArgumentException>(() => Build(NetworkSetup.Join));
    }

    [Fact]
    public void Disable_networking_isolates_even_a_bridge_container()
    {
        var network = Build(NetworkSetup.Join, "/var/run/netns/task1", disableNetworking: true).Linux.Namespaces.Single(n => n.Type == "network");
        Assert.Null(network.Path);
    }

    [Fact]
    public void No_user_namespace_and_the_launch_cgroup_path()
    {
        var spec = Build(NetworkSetup.Isolated);
        Assert.DoesNotContain(spec.Linux.Namespaces, n => n.Type == "user");
        Assert.Equal("/gantry/t1/app", spec.Linux.CgroupsPath);
    }
}
