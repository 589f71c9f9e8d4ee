using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Domain.Tests.Tasks;

public class ContainerOverridesTests
{
    private static readonly ContainerDefinition App = new()
    {
        Name = "app",
        Command = ["serve"],
        Cpu = 128,
        Memory = 256,
        Environment = [new Domain.Ecs.KeyValuePair { Name = "A", Value = "1" }, new Domain.Ecs.KeyValuePair { Name = "B", Value = "2" }],
    };

    [Fact]
    public void An_override_replaces_command_and_resources_and_merges_the_environment()
    {
        var overrides = new TaskOverride
        {
            ContainerOverrides = [new ContainerOverride
            {
                Name = "app",
                Command = ["migrate"],
                Memory = 512,
                MemoryReservation = 64,
                Environment = [new Domain.Ecs.KeyValuePair { Name = "B", Value = "3" }, new Domain.Ecs.KeyValuePair { Name = "C", Value = "4" }],
            }],
        };

        var applied = ContainerOverrides.Apply(App, overrides);

        Assert.Equal(["migrate"], applied.Command);
        Assert.Equal(128, applied.Cpu);
        Assert.Equal(512, applied.Memory);
        Assert.Equal(64, applied.MemoryReservation);
        Assert.Equal(["A=1", "B=3", "C=4"], applied.Environment!.Select(e => $"{e.Name}={e.Value}"));
    }

    [Fact]
    public void A_container_the_override_does_not_name_is_unchanged()
    {
        var overrides = new TaskOverride { ContainerOverrides = [new ContainerOverride { Name = "sidecar", Cpu = 1 }] };

        Assert.Same(App, ContainerOverrides.Apply(App, overrides));
        Assert.Same(App, ContainerOverrides.Apply(App, null));
        Assert.Equal([App], ContainerOverrides.Apply(new TaskDefinition { ContainerDefinitions = [App] }, overrides));
    }
}
