using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class ProcessArgsTests
{
    [Theory]
    // image only: Entrypoint ++ Cmd
    [InlineData(new[] { "/entry" }, new[] { "serve" }, null, null, new[] { "/entry", "serve" })]
    [InlineData(null, new[] { "/bin/sh" }, null, null, new[] { "/bin/sh" })]
    // definition command replaces the image Cmd and keeps the image Entrypoint
    [InlineData(new[] { "/entry" }, new[] { "serve" }, null, new[] { "migrate", "--all" }, new[] { "/entry", "migrate", "--all" })]
    // definition entryPoint replaces the image Entrypoint and drops the image Cmd
    [InlineData(new[] { "/entry" }, new[] { "serve" }, new[] { "/other" }, null, new[] { "/other" })]
    // both given
    [InlineData(new[] { "/entry" }, new[] { "serve" }, new[] { "/other" }, new[] { "run" }, new[] { "/other", "run" })]
    // definition only (image without Entrypoint/Cmd)
    [InlineData(null, null, new[] { "/app" }, new[] { "-v" }, new[] { "/app", "-v" })]
    [InlineData(null, null, null, new[] { "/app", "-v" }, new[] { "/app", "-v" })]
    // an explicitly empty entryPoint clears the image Entrypoint but keeps its Cmd (dockerd's merge)
    [InlineData(new[] { "/entry" }, new[] { "/bin/sh" }, new string[0], null, new[] { "/bin/sh" })]
    // an empty command counts as absent
    [InlineData(new[] { "/entry" }, new[] { "serve" }, null, new string[0], new[] { "/entry", "serve" })]
    public void Entrypoint_and_command_override_as_docker(string[]? imageEntry, string[]? imageCmd, string[]? entryPoint, string[]? command, string[] expected)
    {
        var definition = new ContainerDefinition { Name = "app", EntryPoint = entryPoint, Command = command };
        var spec = SpecFixtures.Build(definition, new ContainerConfig { Entrypoint = imageEntry, Cmd = imageCmd });
        Assert.Equal(expected, spec.Process.Args);
    }

    [Fact]
    public void No_command_anywhere_cannot_start()
    {
        var definition = new ContainerDefinition { Name = "web" };
        var error = Assert.Throws<CannotStartContainerException>(() => SpecFixtures.Build(definition));
        Assert.Equal("CannotStartContainerError: no command specified for container 'web'", error.Message);
    }

    [Fact]
    public void Entrypoint_in_definition_without_command_drops_image_cmd_even_if_nothing_remains_but_entrypoint()
    {
        var spec = SpecFixtures.Build(new ContainerDefinition { Name = "app", EntryPoint = ["/bin/sh", "-c", "echo"] }, new ContainerConfig { Cmd = ["ignored"] });
        Assert.Equal(["/bin/sh", "-c", "echo"], spec.Process.Args);
    }
}
