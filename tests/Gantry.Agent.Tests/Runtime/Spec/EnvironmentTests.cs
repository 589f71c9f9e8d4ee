using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class EnvironmentTests
{
    [Fact]
    public void Image_then_definition_then_agent_each_overriding_in_place()
    {
        var definition = new ContainerDefinition
        {
            Name = "app",
            Command = ["/bin/true"],
            Environment = [new() { Name = "MODE", Value = "definition" }, new() { Name = "ONLY_DEF", Value = "d" }, new() { Name = "URI", Value = "definition" }],
        };
        var launch = SpecFixtures.Launch(
            definition,
            new ContainerConfig { Env = ["PATH=/opt/bin:/usr/bin", "MODE=image", "ONLY_IMAGE=i", "NOVALUE"] },
            environment: new Dictionary<string, string> { ["URI"] = "agent", ["ECS_CONTAINER_METADATA_URI_V4"] = "http://169.254.170.2/v4/x" });
        var env = RuntimeSpecBuilder.Build(launch, SpecFixtures.Options).Process.Env;
        Assert.Equal(
            ["PATH=/opt/bin:/usr/bin", "HOSTNAME=task-host", "MODE=definition", "ONLY_IMAGE=i", "ONLY_DEF=d", "URI=agent", "ECS_CONTAINER_METADATA_URI_V4=http://169.254.170.2/v4/x"],
            env);
    }

    [Fact]
    public void Path_defaults_when_absent_and_hostname_follows_the_definition()
    {
        var spec = SpecFixtures.Build(new ContainerDefinition { Name = "app", Command = ["/bin/true"], Hostname = "custom" });
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=custom"], spec.Process.Env);
        Assert.Equal("custom", spec.Hostname);
    }

    [Fact]
    public void Hostname_is_the_launch_one_when_the_definition_has_none()
    {
        var spec = SpecFixtures.Build(SpecFixtures.Definition());
        Assert.Equal("task-host", spec.Hostname);
        Assert.Contains("HOSTNAME=task-host", spec.Process.Env);
    }

    [Fact]
    public void Terminal_sets_term()
    {
        var spec = SpecFixtures.Build(new ContainerDefinition { Name = "app", Command = ["/bin/sh"], PseudoTerminal = true });
        Assert.True(spec.Process.Terminal);
        Assert.Contains("TERM=xterm", spec.Process.Env);
    }
}
