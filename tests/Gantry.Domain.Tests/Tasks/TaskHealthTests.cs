using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Domain.Tests.Tasks;

public class TaskHealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_task_without_a_health_check_is_healthy_after_40_seconds_running()
    {
        Assert.False(TaskHealth.SettledWithoutCheck(null, Start.AddHours(1)));
        Assert.False(TaskHealth.SettledWithoutCheck(Start, Start.AddSeconds(39.9)));
        Assert.True(TaskHealth.SettledWithoutCheck(Start, Start.AddSeconds(40)));
    }

    [Fact]
    public void Only_an_essential_containers_health_check_counts()
    {
        var check = new HealthCheck { Command = ["CMD", "true"] };
        Assert.True(TaskHealth.HasHealthCheck(Definition(new ContainerDefinition { Name = "a", HealthCheck = check })));
        Assert.True(TaskHealth.HasHealthCheck(Definition(new ContainerDefinition { Name = "a", Essential = true, HealthCheck = check })));
        Assert.False(TaskHealth.HasHealthCheck(Definition(new ContainerDefinition { Name = "a", Essential = false, HealthCheck = check })));
        Assert.False(TaskHealth.HasHealthCheck(Definition(new ContainerDefinition { Name = "a" })));
    }

    private static TaskDefinition Definition(params ContainerDefinition[] containers) => new() { ContainerDefinitions = containers };
}
