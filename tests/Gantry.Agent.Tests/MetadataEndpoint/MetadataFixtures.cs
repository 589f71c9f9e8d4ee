using System.Net;
using Gantry.Agent.Engine;
using Gantry.Agent.MetadataEndpoint;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Agent.Tests.MetadataEndpoint;

/// <summary>Tasks as the agent tracks them, for the metadata endpoint's tests.</summary>
internal static class MetadataFixtures
{
    public const string TaskId = "0123456789abcdef0123456789abcdef";
    public const string TaskArn = $"arn:aws:ecs:us-east-1:000000000000:task/web/{TaskId}";
    public static readonly DateTimeOffset Started = new(2026, 12, 5, 10, 0, 0, 123, TimeSpan.Zero);

    public static NodeFacts Node { get; } = new("us-east-1a", new IPNetwork(IPAddress.Parse("10.213.0.0"), 16), IPAddress.Parse("10.213.0.1"));

    public static AgentTask Task(string? launchType = null, string? networkMode = null, string? privateIp = null, string metadataId = "id-1",
        string? cpu = "256", string? memory = "512") =>
        new(TaskArn,
            new TaskDefinition
            {
                Family = "web",
                Revision = 3,
                NetworkMode = networkMode,
                Cpu = cpu,
                Memory = memory,
                ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = "busybox", Cpu = 128, Memory = 64 }],
            },
            null, TaskStatus.Running, TaskStatus.Running,
            [new AgentContainer("app", $"{TaskId}-app", ContainerStatus.Running, Created: true, StartedAt: Started, MetadataId: metadataId)],
            Started, PullStartedAt: Started, PrivateIp: privateIp,
            Launch: launchType is null ? null : new TaskLaunch(launchType, 0, launchType == "FARGATE" ? "arn:aws:ecs:us-east-1:000000000000:cluster/web" : "web"));
}
