using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Domain.Tests.Tasks;

public class ContainerDependenciesTests
{
    [Fact]
    public void A_container_starts_after_the_containers_it_depends_on()
    {
        var order = ContainerDependencies.StartOrder(
        [
            Container("web", "db", "cache"),
            Container("db", "init"),
            Container("cache"),
            Container("init"),
        ]);

        Assert.Equal(["init", "db", "cache", "web"], order.Select(c => c.Name));
    }

    [Fact]
    public void Without_dependencies_the_definition_order_stays_and_a_cycle_does_not_loop()
    {
        Assert.Equal(["b", "a"], ContainerDependencies.StartOrder([Container("b"), Container("a")]).Select(c => c.Name));
        Assert.Equal(["b", "a"], ContainerDependencies.StartOrder([Container("a", "b"), Container("b", "a")]).Select(c => c.Name));
    }

    private static ContainerDefinition Container(string name, params string[] dependsOn) => new()
    {
        Name = name,
        DependsOn = [.. dependsOn.Select(d => new ContainerDependency { ContainerName = d, Condition = "START" })],
    };
}
