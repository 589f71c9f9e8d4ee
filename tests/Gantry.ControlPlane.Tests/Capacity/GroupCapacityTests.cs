using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Tests.Capacity;

public class GroupCapacityTests
{
    private static TaskRecord Task(string group, string? provider, string lastStatus = "RUNNING", string desired = "RUNNING") =>
        new(new EcsTask
        {
            TaskArn = $"arn:aws:ecs:us-east-1:000000000000:task/c/{Guid.NewGuid():N}",
            Group = group,
            CapacityProviderName = provider,
            LastStatus = lastStatus,
            DesiredStatus = desired,
        }, "c", "", 256, 512, [], new TaskDefinition(), null);

    [Fact]
    public void Counts_the_groups_live_tasks_by_provider()
    {
        TaskRecord[] tasks =
        [
            Task("service:web", "FARGATE"),
            Task("service:web", "FARGATE_SPOT"),
            Task("service:web", "FARGATE_SPOT", lastStatus: "PROVISIONING"),
            Task("service:web", "FARGATE_SPOT", desired: "STOPPED"),
            Task("service:web", "FARGATE", lastStatus: "STOPPED", desired: "STOPPED"),
            Task("service:web", null),
            Task("service:api", "FARGATE"),
        ];

        var running = GroupCapacity.Running(tasks, "service:web");

        Assert.Equal(new Dictionary<string, int> { ["FARGATE"] = 1, ["FARGATE_SPOT"] = 2 }, running);
    }
}
