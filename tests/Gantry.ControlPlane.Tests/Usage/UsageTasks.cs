using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Tests.Usage;

/// <summary>Task records as the launcher stores them, for metering tests.</summary>
internal static class UsageTasks
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public static string Arn(string cluster, string id) => $"arn:aws:ecs:us-east-1:000000000000:task/{cluster}/{id}";

    public static string InstanceArn(string cluster) => $"arn:aws:ecs:us-east-1:000000000000:container-instance/{cluster}/i-usage";

    /// <summary>A running task of <paramref name="definition"/>, reserving what the launcher would reserve for it.</summary>
    public static TaskRecord Running(string cluster, string id, TaskDefinition definition, DateTimeOffset? pullStartedAt, string launchType = "FARGATE",
        string group = "family:web")
    {
        var reservation = TaskDemands.Reservation(definition, null);
        return new TaskRecord(
            new EcsTask
            {
                TaskArn = Arn(cluster, id),
                ContainerInstanceArn = InstanceArn(cluster),
                LastStatus = Gantry.Domain.Tasks.TaskStatus.Running,
                DesiredStatus = Gantry.Domain.Tasks.TaskStatus.Running,
                PullStartedAt = pullStartedAt,
                StartedAt = pullStartedAt?.AddSeconds(2),
                LaunchType = launchType,
                CapacityProviderName = launchType == "FARGATE" ? "FARGATE" : null,
                Group = group,
                Version = 1,
            },
            cluster, "i-usage", reservation.Cpu, reservation.Memory, [], definition, null, TaskCounter.Running);
    }

    /// <summary>A Fargate definition: task-level cpu and memory.</summary>
    public static TaskDefinition FargateDefinition(string family, string cpu = "256", string memory = "512") => new()
    {
        Family = family,
        Revision = 3,
        Cpu = cpu,
        Memory = memory,
        NetworkMode = "awsvpc",
        ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = "busybox" }],
    };
}
