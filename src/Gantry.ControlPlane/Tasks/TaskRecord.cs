using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// A task as stored (kind <c>task</c>, key <c>&lt;cluster&gt;/&lt;task id&gt;</c>): the ECS shape DescribeTasks returns,
/// plus what it holds on its container instance (released when it stops) and the definition it runs.
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
    string Counted = TaskRecord.CountedPending,
    bool EverHealthy = false)
{
    /// <summary>Which cluster/instance counter the task adds to: pending until RUNNING, running until STOPPED, then none (resources released).</summary>
    public const string CountedPending = "PENDING", CountedRunning = "RUNNING", CountedNone = "NONE";

    public string Id => Task.TaskArn![(Task.TaskArn!.LastIndexOf('/') + 1)..];
}
