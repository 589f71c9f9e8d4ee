using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Scheduling;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// Every cluster's container instances and tasks kept in memory, with a <see cref="PlacementIndex"/> per cluster,
/// brought up to the store's current revision from the change feed before each use: placement and the service
/// controller read no documents, and a launch updates the index by the instances it touched, not the cluster. The
/// first use lists both kinds once, then replays the feed from the revision the listing started at (a document
/// already newer than a change is left alone); when the changes it needs were compacted away, it lists again. Task definitions are shared between the tasks that run them.
/// Each replica keeps its own; a decision made from a stale view fails its commit's version checks and is retried.
/// </summary>
public sealed class ClusterStateCache(Documents documents) : IDisposable
{
    private const int Page = 1000;

    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly Lock _lock = new();
    private Dictionary<string, CachedCluster> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskDefinition> _definitions = new(StringComparer.Ordinal);
    private long _applied = -1;

    /// <summary>The cluster as of (at least) the store's revision when the call began.</summary>
    public async Task<ClusterSnapshot> SnapshotAsync(string cluster, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        lock (_lock)
        {
            return _clusters.TryGetValue(cluster, out var state) ? state.Snapshot() : new ClusterSnapshot(cluster, [], []);
        }
    }

    /// <summary>How many of the cluster's tasks are pending and running (<see cref="TaskRecord.Counted"/>), by launch type, and
    /// how many container instances are registered.</summary>
    public async Task<ClusterCounts> CountAsync(string cluster, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        lock (_lock)
        {
            return _clusters.TryGetValue(cluster, out var state)
                ? new ClusterCounts(new Dictionary<(string, string), int>(state.Counts), state.RegisteredInstances)
                : new ClusterCounts(new Dictionary<(string, string), int>(), 0);
        }
    }

    /// <summary>The cluster's container instance registered for an EC2 (or host) instance ID, unless deregistered.</summary>
    public async Task<Versioned<ContainerInstance>?> FindByEc2InstanceAsync(string cluster, string ec2InstanceId, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        lock (_lock)
        {
            return _clusters.TryGetValue(cluster, out var state) ? state.FindByEc2Instance(ec2InstanceId) : null;
        }
    }

    /// <summary>The tasks holding resources on one container instance (not yet stopped and released).</summary>
    public async Task<IReadOnlyList<TaskRecord>> HeldOnAsync(string cluster, string instanceId, CancellationToken ct)
    {
        await CatchUpAsync(ct).ConfigureAwait(false);
        lock (_lock)
        {
            return _clusters.TryGetValue(cluster, out var state) ? state.HeldOn(instanceId) : [];
        }
    }

    /// <summary>
    /// Places several launches' tasks on the cluster's own instances (every ACTIVE one) from its index, one launch after
    /// another, each seeing the tasks placed before it; gives each the stored instances its chosen ones were placed from
    /// (the versions the commit must check). The index is as before when it returns: the commit's changes reach it from
    /// the feed. A launch whose constraints or strategies are invalid gets its error and the others go on.
    /// </summary>
    public async Task<IReadOnlyList<CachedPlacement>> PlaceAsync(string cluster, IReadOnlyList<(TaskDemand Demand, int Count)> launches, Random random,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(launches);
        await CatchUpAsync(ct).ConfigureAwait(false);
        lock (_lock)
        {
            var placed = new List<CachedPlacement>(launches.Count);
            if (!_clusters.TryGetValue(cluster, out var state))
            {
                placed.AddRange(launches.Select(l => new CachedPlacement(Placement.Place(l.Demand, l.Count, [], random), new Dictionary<string, Versioned<ContainerInstance>>(), null)));
                return placed;
            }
            var charged = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var (demand, count) in launches)
                {
                    PlacementResult result;
                    try
                    {
                        result = state.Index.Place(demand, count, random);
                    }
                    catch (Exception e) when (e is ArgumentException or ClusterQueryException)
                    {
                        placed.Add(new CachedPlacement(null, new Dictionary<string, Versioned<ContainerInstance>>(), e));
                        continue;
                    }
                    var chosen = new Dictionary<string, Versioned<ContainerInstance>>(StringComparer.Ordinal);
                    var last = placed.Count == launches.Count - 1;
                    for (var n = 0; n < result.Chosen.Count; n++)
                    {
                        var id = result.Chosen[n].InstanceId;
                        chosen[id] = state.Instance(id);
                        if (!last)
                        {
                            state.Index.Set(state.Index.Get(id)!.Charged(demand, $"placing-{placed.Count}-{n}"));
                            charged.Add(id);
                        }
                    }
                    placed.Add(new CachedPlacement(result, chosen, null));
                }
            }
            finally
            {
                foreach (var id in charged)
                {
                    state.Refresh(id);
                }
            }
            return placed;
        }
    }

    /// <summary>Launches take turns per cluster here (every launcher of the replica shares the cache).</summary>
    public ClusterLocks Launches { get; } = new();

    public void Dispose()
    {
        _catchUp.Dispose();
        Launches.Dispose();
    }

    /// <summary>
    /// Reads the change feed to its end, past the revision this replica knows of: after a commit conflicted, the
    /// conflicting write may be another replica's whose notification has not arrived (late, or lost in a store outage
    /// while the listener reconnects), and placing again from the same view would conflict again.
    /// </summary>
    public Task CatchUpFullyAsync(CancellationToken ct) => CatchUpAsync(ct, toEnd: true);

    private async Task CatchUpAsync(CancellationToken ct, bool toEnd = false)
    {
        var target = toEnd ? long.MaxValue : documents.Store.CurrentRevision;
        if (Volatile.Read(ref _applied) >= target && target >= 0)
        {
            return;
        }
        await _catchUp.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_applied < 0)
            {
                await LoadAsync(ct).ConfigureAwait(false);
            }
            while (_applied < target)
            {
                IReadOnlyList<Change> changes;
                try
                {
                    changes = await documents.Store.ChangesSinceAsync(_applied, Page, ct).ConfigureAwait(false);
                }
                catch (ChangeFeedCompactedException)
                {
                    await LoadAsync(ct).ConfigureAwait(false);
                    continue;
                }
                if (changes.Count == 0)
                {
                    break;
                }
                lock (_lock)
                {
                    foreach (var change in changes)
                    {
                        Apply(_clusters, change.Kind, change.Key, change.Revision,
                            change.Body is null ? null : new StoredObject(change.Kind, change.Key, change.Version, change.Revision, change.Body));
                    }
                }
                Volatile.Write(ref _applied, changes[^1].Revision);
            }
        }
        finally
        {
            _catchUp.Release();
        }
    }

    /// <summary>Lists both kinds into a new view and puts it in place at once; readers keep the old one meanwhile.</summary>
    private async Task LoadAsync(CancellationToken ct)
    {
        var from = documents.Store.CurrentRevision;
        var loaded = new Dictionary<string, CachedCluster>(StringComparer.Ordinal);
        foreach (var kind in new[] { Kinds.ContainerInstance, Kinds.Task })
        {
            string? after = null;
            while (true)
            {
                var page = await documents.Store.ListAsync(kind, null, after, Page, ct).ConfigureAwait(false);
                lock (_lock)
                {
                    foreach (var stored in page)
                    {
                        Apply(loaded, kind, stored.Key, stored.Revision, stored);
                    }
                }
                if (page.Count < Page)
                {
                    break;
                }
                after = page[^1].Key;
            }
        }
        lock (_lock)
        {
            _clusters = loaded;
        }
        Volatile.Write(ref _applied, from);
    }

    /// <summary>Applies one document's state at a revision: a put, or a delete when <paramref name="stored"/> is null.</summary>
    private void Apply(Dictionary<string, CachedCluster> clusters, string kind, string key, long revision, StoredObject? stored)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (kind is not (Kinds.ContainerInstance or Kinds.Task) || slash < 0)
        {
            return;
        }
        var cluster = key[..slash];
        var id = key[(slash + 1)..];
        if (!clusters.TryGetValue(cluster, out var state))
        {
            if (stored is null)
            {
                return;
            }
            state = new CachedCluster(cluster);
            clusters[cluster] = state;
        }
        if (kind == Kinds.ContainerInstance)
        {
            state.ApplyInstance(id, revision, stored is null ? null : new Versioned<ContainerInstance>(documents.Read<ContainerInstance>(stored), stored.Version));
        }
        else
        {
            state.ApplyTask(id, revision, stored is null ? null : Shared(documents.Read<TaskRecord>(stored)));
        }
    }

    /// <summary>The task with the definition object every task of that definition shares.</summary>
    private TaskRecord Shared(TaskRecord task)
    {
        if (task.Definition.TaskDefinitionArn is not { } arn)
        {
            return task;
        }
        if (_definitions.TryGetValue(arn, out var shared))
        {
            return task with { Definition = shared };
        }
        _definitions[arn] = task.Definition;
        return task;
    }
}
