namespace Gantry.Scheduling;

/// <summary>
/// A container instance the scheduler may place a task on, and what already runs there.
/// </summary>
/// <param name="InstanceId">The container instance ID (the last segment of its ARN); the final tie-break and the
/// value that <c>spread</c> on <c>instanceId</c>/<c>host</c> groups by.</param>
/// <param name="InstanceArn">The container instance ARN, reported in <see cref="PlacementFailure.Arn"/>.</param>
/// <param name="Ec2InstanceId">The EC2 (or host) instance ID, the <c>ec2InstanceId</c> subject of the cluster query language.</param>
/// <param name="Active">Whether the instance's status is <c>ACTIVE</c>; other instances (e.g. <c>DRAINING</c>) are never
/// considered and never reported.</param>
/// <param name="Connected">Whether its agent is connected; a disconnected agent is rejected with
/// <see cref="PlacementFailureReasons.Agent"/>.</param>
/// <param name="RemainingCpu">Unreserved CPU units.</param>
/// <param name="RemainingMemory">Unreserved memory in MiB.</param>
/// <param name="UsedTcpPorts">Host TCP ports that are taken: by running tasks and by the agent's reserved ports
/// (22, 2375, 2376, 51678–51680 by default); the caller supplies both.</param>
/// <param name="Attributes">The instance's attributes (built-in <c>ecs.*</c> and custom); a null value is an attribute
/// without a value.</param>
/// <param name="Tasks">Tasks whose desired status is not <c>STOPPED</c> on this instance.</param>
public sealed record Candidate(
    string InstanceId,
    string InstanceArn,
    string Ec2InstanceId,
    bool Active,
    bool Connected,
    int RemainingCpu,
    int RemainingMemory,
    IReadOnlySet<int> UsedTcpPorts,
    IReadOnlyDictionary<string, string?> Attributes,
    IReadOnlyList<PlacedTask> Tasks)
{
    /// <summary>This instance once it holds one more task of <paramref name="demand"/>: its resources and static ports
    /// taken, the task listed with <paramref name="taskId"/>.</summary>
    public Candidate Charged(TaskDemand demand, string taskId)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var ports = new HashSet<int>(UsedTcpPorts);
        ports.UnionWith(demand.StaticTcpPorts ?? []);
        return this with
        {
            RemainingCpu = RemainingCpu - demand.Cpu,
            RemainingMemory = RemainingMemory - demand.Memory,
            UsedTcpPorts = ports,
            Tasks = [.. Tasks, new PlacedTask(taskId, demand.Group, demand.Family, TaskDefinitionArn: null)],
        };
    }
}
