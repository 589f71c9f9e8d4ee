using System.Text.Json.Serialization;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// A task as stored (kind <c>task</c>, key <c>&lt;cluster&gt;/&lt;task id&gt;</c>): the ECS shape DescribeTasks returns,
/// plus what it holds on its container instance (released when it stops) and the definition it runs. A Fargate task
/// holds its resources on a pool node (<paramref name="Pool"/>, <paramref name="NodeArn"/>) that DescribeTasks never shows.
/// <paramref name="Network"/> is the launch's network configuration (awsvpc: subnets, security groups, assignPublicIp);
/// <paramref name="DnsSearch"/> the search domain of its resolv.conf (its service's Cloud Map namespace). What it derives from these is not stored.
/// <paramref name="Interface"/> is an awsvpc task's network interface (null for other modes and for tasks stored before
/// the control plane allocated interfaces); it is released when the task stops.
/// </summary>
public sealed record TaskRecord(
    EcsTask Task,
    string Cluster,
    string InstanceId,
    int Cpu,
    int Memory,
    IReadOnlyList<int> Ports,
    TaskDefinition Definition,
    string? ClientToken,
    string Counted = TaskCounter.Pending,
    bool EverHealthy = false,
    string? Pool = null,
    string? NodeArn = null,
    NetworkConfiguration? Network = null,
    string? DnsSearch = null,
    Networks.TaskInterface? Interface = null)
{
    [JsonIgnore]
    public string Id => EcsArns.TaskId(Task.TaskArn!);

    /// <summary>Where the instance document the task holds resources on is stored: its cluster, or its Fargate pool.</summary>
    [JsonIgnore]
    public string InstanceCluster => Pool ?? Cluster;

    /// <summary>The agent session the task's messages go to: its container instance, or its pool node.</summary>
    [JsonIgnore]
    public string AgentArn => Task.ContainerInstanceArn ?? NodeArn!;

    /// <summary>Whether the task's ports are published on its node's address (awsvpc <c>assignPublicIp ENABLED</c>, Fargate only).</summary>
    [JsonIgnore]
    public bool AssignPublicIp => Network?.AwsvpcConfiguration?.AssignPublicIp == AssignPublicIpValues.ENABLED;

    /// <summary>What the task holds on its instance until it stops.</summary>
    public TaskReservation Reservation() => new(Cpu, Memory, Ports);
}
