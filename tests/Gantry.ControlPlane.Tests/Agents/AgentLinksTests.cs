using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Replicas;
using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.ControlPlane.Tests.Agents;

/// <summary>agentConnected with several replicas: only the replica holding the agent marks it disconnected, and the
/// leader marks disconnected the agents of a replica whose heartbeat stood still.</summary>
public sealed class AgentLinksTests : IAsyncLifetime
{
    private const string Cluster = "links";
    private static readonly Membership Node = new(Cluster, "ci-1", $"arn:aws:ecs:us-east-1:000000000000:container-instance/{Cluster}/ci-1");
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-links-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
        await _store.CommitAsync([_documents.Put(Kinds.ContainerInstance, Kinds.InCluster(Cluster, Node.InstanceId),
            new ContainerInstance { ContainerInstanceArn = Node.Arn, Status = "ACTIVE", AgentConnected = true, Version = 1 }, null)], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_stream_of_the_replica_an_agent_left_closing_late_does_not_mark_it_disconnected()
    {
        var a = Links("a");
        var b = Links("b");
        await a.SetAsync(Node, true, default);

        await b.SetAsync(Node, true, default); // the agent failed over to b
        await a.SetAsync(Node, false, default); // a notices its old stream ended

        Assert.True(await ConnectedAsync());
        await b.SetAsync(Node, false, default);
        Assert.False(await ConnectedAsync());
        await b.SetAsync(Node, true, default);
        Assert.True(await ConnectedAsync());
    }

    [Fact]
    public async Task The_leader_marks_disconnected_the_agents_of_a_replica_whose_heartbeat_stood_still()
    {
        await Links("b").SetAsync(Node, true, default);
        await HeartbeatAsync("b");
        var sweeper = new OrphanedLinkSweeper(_documents, Links("a"), _time, NullLogger<OrphanedLinkSweeper>.Instance);

        Assert.Equal(0, await sweeper.SweepAsync(default));
        _time.Advance(ReplicaHeartbeat.StaleAfter - TimeSpan.FromSeconds(1));
        await HeartbeatAsync("b"); // b is alive: its heartbeat moved
        _time.Advance(ReplicaHeartbeat.StaleAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await sweeper.SweepAsync(default)); // 18 s after b was first seen, but its heartbeat moved since
        Assert.True(await ConnectedAsync());

        _time.Advance(ReplicaHeartbeat.StaleAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await sweeper.SweepAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1)); // b's heartbeat has not moved for StaleAfter since this sweeper saw it move
        Assert.Equal(1, await sweeper.SweepAsync(default));
        Assert.False(await ConnectedAsync());
        Assert.Null(await _documents.GetAsync<AgentLink>(Kinds.AgentLink, Kinds.InCluster(Cluster, Node.InstanceId), default));
    }

    [Fact]
    public async Task A_replica_dead_for_an_hour_is_forgotten_unless_it_heartbeats_first()
    {
        await HeartbeatAsync("b");
        await HeartbeatAsync("c");
        await HeartbeatAsync("a");
        var sweeper = new OrphanedLinkSweeper(_documents, Links("a"), _time, NullLogger<OrphanedLinkSweeper>.Instance);
        await sweeper.SweepAsync(default);

        _time.Advance(OrphanedLinkSweeper.ForgetAfter - TimeSpan.FromSeconds(1));
        await HeartbeatAsync("c"); // c comes back just in time
        await sweeper.SweepAsync(default);
        Assert.Equal(["a", "b", "c"], await ReplicasAsync());

        _time.Advance(TimeSpan.FromSeconds(1));
        await sweeper.SweepAsync(default);
        Assert.Equal(["a", "c"], await ReplicasAsync()); // b forgotten; a (the sweeper's own, never heartbeating here) stays
    }

    private async Task<string[]> ReplicasAsync() =>
        [.. (await _documents.ListAllAsync<ReplicaRecord>(Kinds.Replica, null, default)).Select(r => r.Value.Id).Order(StringComparer.Ordinal)];

    private AgentLinks Links(string replica) => new(_documents, replica, _time);

    private Task<long> HeartbeatAsync(string replica) => _store.CommitAsync([_documents.Put(Kinds.Replica, replica,
        new ReplicaRecord(replica, "http://127.0.0.1:1/", "http://127.0.0.1:2/", "test", _time.GetUtcNow(), _time.GetUtcNow()), null)], default);

    private async Task<bool> ConnectedAsync() =>
        (await _documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(Cluster, Node.InstanceId), default))!.Value.AgentConnected == true;
}
