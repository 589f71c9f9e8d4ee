using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Scheduling;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// One view of a cluster, what every placement decision works from (RunTask and StartTask through the
/// <see cref="TaskLauncher"/>, and the service controller): its container instances with the store versions a commit
/// checks, and its tasks. It comes from the <see cref="ClusterStateCache"/> (or one read of the store). An instance
/// becomes the scheduler's <see cref="Scheduling.Candidate"/> only here.
/// </summary>
/// <param name="Cluster">The cluster's name.</param>
/// <param name="Instances">Every registered container instance, whatever its status.</param>
/// <param name="Tasks">Every stored task of the cluster, stopped ones included.</param>
public sealed record ClusterSnapshot(string Cluster, IReadOnlyList<Versioned<ContainerInstance>> Instances, IReadOnlyList<TaskRecord> Tasks)
{
    private ILookup<string, TaskRecord>? _holding;

    public static async Task<ClusterSnapshot> ReadAsync(Documents documents, ContainerInstanceRegistry instances, string cluster, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(instances);
        var registered = await instances.ListAsync(cluster, ct).ConfigureAwait(false);
        var tasks = await documents.ListAllAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster), ct).ConfigureAwait(false);
        return new ClusterSnapshot(cluster, registered, [.. tasks.Select(t => t.Value)]);
    }

    /// <summary>The scheduler's view of an instance: what remains of its resources, its attributes, and the tasks that
    /// still hold resources there (not yet stopped and released).</summary>
    public Candidate Candidate(ContainerInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _holding ??= Tasks.Where(t => t.Counted != TaskCounter.None).ToLookup(t => t.InstanceId, StringComparer.Ordinal);
        return CandidateOf(instance, _holding[EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!)]);
    }

    /// <summary>An instance as a candidate, given the tasks that hold resources on it.</summary>
    public static Candidate CandidateOf(ContainerInstance instance, IEnumerable<TaskRecord> holding)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(holding);
        var id = EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!);
        var (cpu, memory, ports) = TaskLedger.Remaining(instance);
        return new Candidate(id, instance.ContainerInstanceArn!, instance.Ec2InstanceId ?? id, instance.Status == "ACTIVE", instance.AgentConnected == true,
            cpu, memory, ports,
            (instance.Attributes ?? []).GroupBy(a => a.Name!).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal),
            [.. holding.Select(t => new PlacedTask(t.Id, t.Task.Group ?? "", t.Definition.Family ?? "", t.Task.TaskDefinitionArn))]);
    }
}
