using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Scheduling;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// One cluster (or Fargate pool) in the <see cref="ClusterStateCache"/>: its instances and tasks by ID with the revision
/// each was last written at, which tasks hold resources on which instance, and the placement index, where an
/// instance is set again whenever it or a task it holds changes. Not thread-safe: the cache serializes access.
/// </summary>
internal sealed class CachedCluster(string name)
{
    private readonly SortedDictionary<string, (Versioned<ContainerInstance> Instance, long Revision)> _instances = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (TaskRecord Task, long Revision)> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, TaskRecord>> _holding = new(StringComparer.Ordinal);

    public PlacementIndex Index { get; } = new();

    /// <summary>The cluster's tasks by <see cref="TaskRecord.Counted"/> (pending, running) and launch type: what
    /// DescribeClusters counts.</summary>
    public Dictionary<(string Counted, string LaunchType), int> Counts { get; } = [];

    public Versioned<ContainerInstance> Instance(string id) => _instances[id].Instance;

    /// <summary>Container instances not deregistered (ACTIVE or DRAINING): registeredContainerInstancesCount, kept as
    /// instances change rather than counted on every DescribeClusters.</summary>
    public int RegisteredInstances { get; private set; }

    public Versioned<ContainerInstance>? FindByEc2Instance(string ec2InstanceId) =>
        _instances.Values.Select(i => i.Instance)
            .FirstOrDefault(i => i.Value.Ec2InstanceId == ec2InstanceId && Registered(i));

    public IReadOnlyList<TaskRecord> HeldOn(string instanceId) =>
        _holding.TryGetValue(instanceId, out var held) ? [.. held.Values] : [];

    public ClusterSnapshot Snapshot() =>
        new(name, [.. _instances.Values.Select(i => i.Instance)], [.. _tasks.Values.Select(t => t.Task)]);

    public void ApplyInstance(string id, long revision, Versioned<ContainerInstance>? instance)
    {
        var wasKnown = _instances.TryGetValue(id, out var known);
        if (wasKnown && known.Revision >= revision)
        {
            return;
        }
        if (wasKnown && Registered(known.Instance))
        {
            RegisteredInstances--;
        }
        if (instance is null)
        {
            _instances.Remove(id);
            Index.Remove(id);
            return;
        }
        if (Registered(instance))
        {
            RegisteredInstances++;
        }
        _instances[id] = (instance, revision);
        Refresh(id);
    }

    public void ApplyTask(string id, long revision, TaskRecord? task)
    {
        string? before = null;
        if (_tasks.TryGetValue(id, out var known))
        {
            if (known.Revision >= revision)
            {
                return;
            }
            before = Release(id, known.Task);
            Count(known.Task, -1);
        }
        if (task is null)
        {
            _tasks.Remove(id);
        }
        else
        {
            _tasks[id] = (task, revision);
            Count(task, 1);
            if (task.Counted != TaskCounter.None)
            {
                if (!_holding.TryGetValue(task.InstanceId, out var held))
                {
                    held = new Dictionary<string, TaskRecord>(StringComparer.Ordinal);
                    _holding[task.InstanceId] = held;
                }
                held[id] = task;
            }
            Refresh(task.InstanceId);
        }
        if (before is not null && before != task?.InstanceId)
        {
            Refresh(before);
        }
    }

    private static bool Registered(Versioned<ContainerInstance> instance) => instance.Value.Status != "INACTIVE";

    private void Count(TaskRecord task, int delta)
    {
        if (task.Counted != TaskCounter.None)
        {
            var key = (task.Counted, task.Task.LaunchType ?? LaunchTypeValues.EC2);
            Counts[key] = Counts.GetValueOrDefault(key) + delta;
        }
    }

    /// <summary>Takes a task off the instance it held resources on; returns that instance.</summary>
    private string Release(string id, TaskRecord task)
    {
        if (_holding.TryGetValue(task.InstanceId, out var held) && held.Remove(id) && held.Count == 0)
        {
            _holding.Remove(task.InstanceId);
        }
        return task.InstanceId;
    }

    /// <summary>Sets the instance in the index again as the cache knows it (undoing what a placement charged it).</summary>
    public void Refresh(string instanceId)
    {
        if (_instances.TryGetValue(instanceId, out var known))
        {
            Index.Set(ClusterSnapshot.CandidateOf(known.Instance.Value,
                _holding.TryGetValue(instanceId, out var held) ? held.Values : []));
        }
    }
}
