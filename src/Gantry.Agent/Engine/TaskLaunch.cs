using Gantry.Domain.Ecs;

namespace Gantry.Agent.Engine;

/// <summary>
/// How the control plane launched a task (the RunTask message's launch_type, ephemeral_storage_gib, cluster and assign_public_ip). A
/// FARGATE task is isolated as its own micro-VM would be (<see cref="TaskIsolation"/>); an EC2 task runs as ECS's
/// EC2 agent runs it.
/// </summary>
/// <param name="LaunchType">A <see cref="LaunchTypeValues"/> value; empty means EC2 (a control plane older than the field).</param>
/// <param name="EphemeralStorageGiB">The task's writable storage; 0 means Fargate's default of 20 GiB. Ignored for EC2, as ECS does.</param>
/// <param name="Cluster">The cluster the task belongs to (a Fargate pool node runs tasks of many clusters).</param>
/// <param name="AssignPublicIp">awsvpc <c>assignPublicIp ENABLED</c>: the containers' ports are published on the node's publish address.</param>
/// <param name="Firewall">An awsvpc task's security groups as the control plane last sent them (null: no firewall, as bridge and host tasks).</param>
/// <param name="DnsSearch">Search domains for the task's resolv.conf (its service's Cloud Map namespace).</param>
/// <param name="Interface">An awsvpc task's interface as the control plane allocated it (null: an address of the node's bridge).</param>
public sealed record TaskLaunch(string LaunchType, int EphemeralStorageGiB = 0, string? Cluster = null, bool AssignPublicIp = false,
    Networking.TaskFirewallPolicy? Firewall = null, IReadOnlyList<string>? DnsSearch = null, Networking.InterfaceAddress? Interface = null)
{
    /// <summary>Fargate's ephemeral storage when the task definition asks for none.</summary>
    public const int DefaultFargateStorageGiB = 20;

    public static TaskLaunch Ec2 { get; } = new(LaunchTypeValues.EC2);

    public bool IsFargate => LaunchType == LaunchTypeValues.FARGATE;

    /// <summary>The size of the filesystem that holds everything the task writes, or 0 for no cap (EC2).</summary>
    public int StorageGiB => !IsFargate ? 0 : EphemeralStorageGiB > 0 ? EphemeralStorageGiB : DefaultFargateStorageGiB;
}
