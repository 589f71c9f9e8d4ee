using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Tests.Runtime.Spec;

public sealed class WorkingDirectoryTests
{
    [Theory]
    [InlineData(null, null, "/")]
    [InlineData(null, "/srv/app", "/srv/app")]
    [InlineData("/work/./x/", "/srv/app", "/work/x")]
    public void Definition_then_image_then_root(string? definition, string? image, string expected)
    {
        var spec = SpecFixtures.Build(new ContainerDefinition { Name = "app", Command = ["/bin/true"], WorkingDirectory = definition }, new ContainerConfig { WorkingDir = image });
        Assert.Equal(expected, spec.Process.Cwd);
    }

    [Fact]
    public void A_relative_working_directory_cannot_start()
    {
        var error = Assert.Throws<CannotStartContainerException>(() =>
            SpecFixtures.Build(new ContainerDefinition { Name = "app", Command = ["/bin/true"], WorkingDirectory = "srv" }));
        Assert.Contains("'srv' is invalid, it needs to be an absolute path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Readonly_root_filesystem_and_labels()
    {
        var spec = SpecFixtures.Build(
            new ContainerDefinition { Name = "app", Command = ["/bin/true"], ReadonlyRootFilesystem = true, DockerLabels = new Dictionary<string, string> { ["team"] = "a", ["tier"] = "web" } },
            new ContainerConfig { Labels = new Dictionary<string, string> { ["team"] = "image", ["maintainer"] = "x" } });
        Assert.True(spec.Root.Readonly);
        Assert.Equal("/nonexistent/rootfs", spec.Root.Path);
        Assert.Equal(new Dictionary<string, string> { ["maintainer"] = "x", ["team"] = "a", ["tier"] = "web" }, spec.Annotations);
    }
}
