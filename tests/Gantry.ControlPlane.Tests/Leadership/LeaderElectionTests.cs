using Gantry.ControlPlane.Leadership;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.ControlPlane.Tests.Leadership;

/// <summary>Two replicas over one real store with a fake clock: one leads, the other takes over only when the leader's
/// heartbeat has stood still for the lease duration, and the old leader's fenced commits then fail.</summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-lead-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_first_replica_leads_at_once_and_the_second_follows_while_the_leader_renews()
    {
        var a = Replica("a");
        var b = Replica("b");

        Assert.True(await a.StepAsync(default));
        Assert.False(await b.StepAsync(default));
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(LeaderElection.RenewInterval);
            Assert.True(await a.StepAsync(default));
            Assert.False(await b.StepAsync(default));
        }
        Assert.Equal((1, 0), (a.Token, b.Token));
    }

    [Fact]
    public async Task A_follower_takes_over_when_the_heartbeat_stood_still_for_the_lease_duration_and_fences_the_old_leader_out()
    {
        var a = Replica("a");
        var b = Replica("b");
        Assert.True(await a.StepAsync(default));
        var fenced = new Documents(new FencedStateStore(_store, a), AwsJson.Options);
        await fenced.Store.CommitAsync([new PutOp("k", "by-a", "1")], default);

        // a stops renewing (paused or dead): b waits out the lease duration on its own clock, then leads.
        Assert.False(await b.StepAsync(default));
        _time.Advance(LeaderElection.LeaseDuration - TimeSpan.FromSeconds(1));
        Assert.False(await b.StepAsync(default));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await b.StepAsync(default));
        Assert.Equal(2, b.Token);

        // a still believes it leads until its next renewal; its decisions no longer commit.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => fenced.Store.CommitAsync([new PutOp("k", "by-a", "2")], default));
        Assert.Equal("1", (await _store.GetAsync("k", "by-a", default))!.Body);
        Assert.False(await a.StepAsync(default));
        Assert.Equal(0, a.Token);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => fenced.Store.CommitAsync([new PutOp("k", "by-a", "3")], default));
    }

    [Fact]
    public async Task A_restarted_replica_takes_its_own_lease_back_at_once_with_a_new_token()
    {
        Assert.True(await Replica("a").StepAsync(default));

        var restarted = Replica("a");
        Assert.True(await restarted.StepAsync(default));
        Assert.Equal(2, restarted.Token);
    }

    [Fact]
    public async Task On_a_store_no_other_replica_can_open_the_lease_is_taken_at_start_and_never_renewed()
    {
        Assert.True(await Replica("old-copy").StepAsync(default));
        var only = Replica("a", shared: false);

        Assert.True(await only.StepAsync(default));
        var revision = _store.CurrentRevision;
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(LeaderElection.RenewInterval);
            Assert.True(await only.StepAsync(default));
        }
        Assert.Equal(revision, _store.CurrentRevision);
        Assert.Equal(2, only.Token);
    }

    [Fact]
    public async Task The_controllers_run_only_while_leading()
    {
        var a = Replica("a");
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = a.RunAsync(async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }, stop.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, a.Token);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, a.Token);
    }

    private LeaderElection Replica(string id, bool shared = true) => new(_documents, id, shared, _time, NullLogger<LeaderElection>.Instance);
}
