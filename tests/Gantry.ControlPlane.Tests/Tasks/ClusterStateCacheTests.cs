using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Scheduling;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.ControlPlane.Tests.Tasks;

/// <summary>The cluster cache over a real SQLite store: it sees what a fresh read sees, places from its index as the
/// store stands, and two caches (two replicas) racing onto one instance never over-commit it.</summary>
public sealed class ClusterStateCacheTests : IAsyncLifetime
{
    private const string Cluster = "cache";
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-cache-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
    private readonly EcsArns _arns = new(AwsAccount.Default);
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;
    private ContainerInstanceRegistry _instances = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
        _instances = new ContainerInstanceRegistry(_documents, _arns, new ClusterStateCache(_documents), _time);
        await _store.CommitAsync([_documents.Put(Kinds.Cluster, Cluster, new Cluster { ClusterName = Cluster, ClusterArn = _arns.Cluster(Cluster), Status = "ACTIVE" },
            WriteOp.MustNotExist)], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sees_what_a_fresh_read_sees_as_instances_and_tasks_come_change_and_go()
    {
        using var cache = new ClusterStateCache(_documents);
        await AddInstancesAsync(3, memory: 4096);
        var launcher = Launcher(cache, seed: 1);
        await AssertSameAsync(cache);

        var (tasks, failures) = await launcher.LaunchAsync(Request(count: 6, memory: 512), CancellationToken.None);
        Assert.Empty(failures);
        Assert.Equal(6, tasks.Count);
        await AssertSameAsync(cache);

        var first = tasks[0];
        await _store.CommitAsync([new DeleteOp(Kinds.Task, Kinds.InCluster(Cluster, EcsArns.TaskId(first.TaskArn!)))], CancellationToken.None);
        await AssertSameAsync(cache);

        using var late = new ClusterStateCache(_documents);
        await AssertSameAsync(late);
    }

    [Fact]
    public async Task Lists_again_when_the_changes_it_missed_were_compacted_away()
    {
        using var cache = new ClusterStateCache(_documents);
        await AddInstancesAsync(2, memory: 4096);
        await AssertSameAsync(cache);

        var (tasks, _) = await Launcher(new ClusterStateCache(_documents), seed: 1).LaunchAsync(Request(count: 3, memory: 256), CancellationToken.None);
        Assert.Equal(3, tasks.Count);
        await _store.CompactChangesAsync(_store.CurrentRevision, CancellationToken.None);

        await AssertSameAsync(cache);
        Assert.Equal(3, (await cache.CountAsync(Cluster, CancellationToken.None)).Pending);
    }

    [Fact]
    public async Task Places_from_the_index_as_the_store_stands_spreading_over_zones_then_binpacking()
    {
        using var cache = new ClusterStateCache(_documents);
        await AddInstancesAsync(6, memory: 2048);
        var launcher = Launcher(cache, seed: 1);
        for (var round = 0; round < 3; round++)
        {
            var (tasks, failures) = await launcher.LaunchAsync(Request(count: 3, memory: 1024), CancellationToken.None);
            Assert.Empty(failures);
        }

        var fresh = await ClusterSnapshot.ReadAsync(_documents, _instances, Cluster, CancellationToken.None);
        var perInstance = fresh.Tasks.GroupBy(t => t.InstanceId).ToDictionary(g => g.Key, g => g.Count());
        var zones = fresh.Instances.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!),
            i => i.Value.Attributes!.First(a => a.Name == "ecs.availability-zone").Value);
        Assert.Equal([3, 3, 3], perInstance.GroupBy(p => zones[p.Key]).Select(g => g.Sum(p => p.Value)).Order().ToArray());
        // binpack within each zone: one instance filled (2 tasks) before its zone's other one takes the third
        Assert.Equal([1, 1, 1, 2, 2, 2], perInstance.Values.Order().ToArray());
    }

    [Fact]
    public async Task Two_replicas_racing_onto_one_instance_never_over_commit_it()
    {
        await AddInstancesAsync(1, memory: 2048);
        using var one = new ClusterStateCache(_documents);
        using var two = new ClusterStateCache(_documents);
        var launchers = new[] { Launcher(one, seed: 1), Launcher(two, seed: 2) };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => launchers[i % 2].LaunchAsync(Request(count: 1, memory: 256), CancellationToken.None))));

        Assert.Equal(8, results.Sum(r => r.Tasks.Count));
        Assert.Equal(8, results.Count(r => r.Failures.Any(f => f.Reason == PlacementFailureReasons.Memory)));
        var instance = (await _instances.ListAsync(Cluster, CancellationToken.None)).Single().Value;
        Assert.Equal(0, instance.RemainingResources!.First(r => r.Name == "MEMORY").IntegerValue);
    }

    [Fact]
    public async Task A_launch_that_conflicts_with_a_change_this_replica_has_not_heard_of_reads_the_feed_to_its_end_and_places_again()
    {
        await AddInstancesAsync(1, memory: 2048);
        var lagging = new LaggingStore(_store);
        var (launcher, cache) = Over(lagging);
        using var disposeCache = cache;
        Assert.Single((await launcher.LaunchAsync(Request(count: 1, memory: 256), CancellationToken.None)).Tasks);

        await cache.SnapshotAsync(Cluster, CancellationToken.None); // caught up with everything so far
        lagging.Freeze(); // the other replica's commit below is never announced (its notification lost in an outage)
        using var other = new ClusterStateCache(_documents);
        Assert.Single((await Launcher(other, seed: 2).LaunchAsync(Request(count: 1, memory: 256), CancellationToken.None)).Tasks);

        Assert.Single((await launcher.LaunchAsync(Request(count: 1, memory: 256), CancellationToken.None)).Tasks);
        var instance = (await _instances.ListAsync(Cluster, CancellationToken.None)).Single().Value;
        Assert.Equal(2048 - (3 * 256), instance.RemainingResources!.First(r => r.Name == "MEMORY").IntegerValue);
    }

    [Fact]
    public async Task Launches_waiting_for_the_cluster_are_placed_one_after_another_and_committed_together()
    {
        await AddInstancesAsync(1, memory: 2048);
        var gated = new GatedStore(_store);
        var (launcher, cache) = Over(gated);
        using var disposeCache = cache;

        var first = launcher.LaunchAsync(Request(count: 1, memory: 256), CancellationToken.None); // holds the turn until the gate opens
        var invalid = launcher.LaunchAsync(Request(count: 1, memory: 256) with { Constraints = [new PlacementConstraintSpec("memberOf", "attribute:ecs.os-type ==")] },
            CancellationToken.None);
        var waiting = Enumerable.Range(0, 15).Select(_ => launcher.LaunchAsync(Request(count: 1, memory: 256), CancellationToken.None)).ToList();
        gated.Open();

        Assert.Single((await first).Tasks);
        await Assert.ThrowsAsync<ClusterQueryException>(() => invalid);
        var results = await Task.WhenAll(waiting);
        Assert.Equal(2, gated.Commits); // the first launch's, then one for the 15 that waited
        Assert.Equal(7, results.Sum(r => r.Tasks.Count));
        Assert.Equal(8, results.Count(r => r.Failures.Any(f => f.Reason == PlacementFailureReasons.Memory)));
        Assert.Equal(8, results.SelectMany(r => r.Tasks).Append((await first).Tasks[0]).Select(t => t.TaskArn).Distinct().Count());
        var instance = (await _instances.ListAsync(Cluster, CancellationToken.None)).Single().Value;
        Assert.Equal(0, instance.RemainingResources!.First(r => r.Name == "MEMORY").IntegerValue);
        await AssertSameAsync(cache);
    }

    /// <summary>A store whose first commit waits until the test opens the gate, and that counts commits.</summary>
    private sealed class GatedStore(IStateStore inner) : CommitDecorator(inner)
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Commits { get; private set; }

        public void Open() => _gate.SetResult();

        public override async Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken)
        {
            await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Commits++;
            return await Inner.CommitAsync(operations, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A replica's view of the store whose known revision stops moving when frozen, as when notifications are lost.</summary>
    private sealed class LaggingStore(IStateStore inner) : CommitDecorator(inner), IStateStore
    {
        private long? _frozen;

        public void Freeze() => _frozen = Inner.CurrentRevision;

        long IStateStore.CurrentRevision => _frozen ?? Inner.CurrentRevision;

        public override Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken) =>
            Inner.CommitAsync(operations, cancellationToken);
    }

    /// <summary>A launcher and its cache over another view of the store (a replica's own).</summary>
    private (TaskLauncher Launcher, ClusterStateCache Cache) Over(IStateStore store)
    {
        var documents = new Documents(store, AwsJson.Options);
        var cache = new ClusterStateCache(documents);
        return (new TaskLauncher(documents, _arns, cache, new LaunchTargets(cache, new CapacityProviderDirectory(documents)),
            new TaskDispatcher(new AgentSessions()), _time, new Random(1)), cache);
    }

    private TaskLauncher Launcher(ClusterStateCache cache, int seed) =>
        new(_documents, _arns, cache, new LaunchTargets(cache, new CapacityProviderDirectory(_documents)), new TaskDispatcher(new AgentSessions()), _time, new Random(seed));

    private static LaunchRequest Request(int count, int memory) => new(Cluster,
        new TaskDefinition
        {
            Family = "web",
            Revision = 1,
            TaskDefinitionArn = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
            NetworkMode = "bridge",
            ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = "busybox", Memory = memory, Essential = true }],
        },
        null, count, "service:web", null, [], [],
        [PlacementStrategySpec.Of("spread", "attribute:ecs.availability-zone"), PlacementStrategySpec.Of("binpack", "memory")], null, null);

    private async Task AddInstancesAsync(int count, int memory)
    {
        for (var i = 0; i < count; i++)
        {
            var instance = await _instances.RegisterAsync(new NodeRegistration(Cluster, $"i-{i}", 4096, memory, [],
                [new("ecs.availability-zone", $"us-east-1{(char)('a' + (i % 3))}")], "1.0.0", "hash"), CancellationToken.None);
            await _instances.SetConnectedAsync(Cluster, EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!), connected: true, CancellationToken.None);
        }
    }

    private async Task AssertSameAsync(ClusterStateCache cache)
    {
        var cached = await cache.SnapshotAsync(Cluster, CancellationToken.None);
        var fresh = await ClusterSnapshot.ReadAsync(_documents, _instances, Cluster, CancellationToken.None);
        Assert.Equal(fresh.Instances.Select(i => (i.Value.ContainerInstanceArn, i.Version)), cached.Instances.Select(i => (i.Value.ContainerInstanceArn, i.Version)));
        Assert.Equal(fresh.Tasks.Select(t => (t.Task.TaskArn, t.Counted)), cached.Tasks.Select(t => (t.Task.TaskArn, t.Counted)));
        Assert.Equal(fresh.Instances.Select(i => fresh.Candidate(i.Value)).Select(c => (c.InstanceId, c.RemainingMemory, c.Tasks.Count)),
            cached.Instances.Select(i => cached.Candidate(i.Value)).Select(c => (c.InstanceId, c.RemainingMemory, c.Tasks.Count)));
    }
}
