using Gantry.Agent.Protocol;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Retention;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.ControlPlane.Tests.Supervision;
using Gantry.ControlPlane.Usage;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Gantry.ControlPlane.Tests.Usage.UsageTasks;

namespace Gantry.ControlPlane.Tests.Retention;

/// <summary>The stopped-task purge over a real SQLite store, on a fake clock.</summary>
public sealed class StoppedTaskPurgerTests : IAsyncLifetime
{
    private const string Cluster = "prod";
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-purge-").FullName;
    private readonly FakeTimeProvider _time = new(T0);
    private readonly TaskDefinition _definition = FargateDefinition("web");
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;
    private StoppedTaskPurger _purger = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
        _purger = new StoppedTaskPurger(_documents, _time, new CapturingLogger<StoppedTaskPurger>());
        await _store.CommitAsync([_documents.Put(Kinds.Cluster, Cluster, new Cluster { ClusterName = Cluster, Status = "ACTIVE", RunningTasksCount = 0 }, null)],
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_task_stays_describable_for_the_retention_after_it_stopped_then_goes_with_its_client_token_and_its_usage_record_stays()
    {
        await StoreRunningAsync("old", clientToken: "retry-1");
        await StoreRunningAsync("live");
        await StopAsync("old");

        _time.Advance(StoppedTaskPurger.DefaultRetention - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await _purger.PurgeAsync(CancellationToken.None));
        Assert.NotNull(await TaskAsync("old"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _purger.PurgeAsync(CancellationToken.None));
        Assert.Null(await TaskAsync("old"));
        Assert.Null(await _store.GetAsync(Kinds.TaskClientToken, Kinds.InCluster(Cluster, "retry-1"), CancellationToken.None));
        Assert.NotNull(await TaskAsync("live"));
        var usage = Assert.Single(await _documents.ListAllAsync<UsageRecord>(Kinds.Usage, null, CancellationToken.None));
        Assert.Equal(Arn(Cluster, "old"), usage.Value.TaskArn);
    }

    [Fact]
    public async Task A_client_token_goes_only_with_the_last_of_its_tasks()
    {
        await StoreRunningAsync("first", clientToken: "shared", tokenTasks: ["first", "second"]);
        await StoreRunningAsync("second", clientToken: "shared", tokenTasks: ["first", "second"]);
        await StopAsync("first");
        _time.Advance(TimeSpan.FromMinutes(30));
        await StopAsync("second");

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await _purger.PurgeAsync(CancellationToken.None));
        Assert.NotNull(await _store.GetAsync(Kinds.TaskClientToken, Kinds.InCluster(Cluster, "shared"), CancellationToken.None));

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await _purger.PurgeAsync(CancellationToken.None));
        Assert.Null(await _store.GetAsync(Kinds.TaskClientToken, Kinds.InCluster(Cluster, "shared"), CancellationToken.None));
    }

    [Fact]
    public async Task Stopped_tasks_the_service_controller_still_needs_are_kept_until_it_no_longer_does()
    {
        await StoreRunningAsync("failed", startedBy: "ecs-svc/1", group: "service:web");
        await StoreRunningAsync("balanced", startedBy: "ecs-svc/0", group: "service:web");
        await StopAsync("failed");
        await StopAsync("balanced");
        var service = new ServiceRecord(new Service
        {
            ServiceName = "web",
            Status = "ACTIVE",
            Deployments = [new Deployment { Id = "ecs-svc/1", Status = "PRIMARY", RolloutState = DeploymentRolloutStateValues.IN_PROGRESS }],
        }, Cluster, Targets: new Dictionary<string, TaskTargets> { ["balanced"] = new([new ServiceTarget("arn:tg", "10.0.0.5", 80)]) });
        await _store.CommitAsync([_documents.Put(Kinds.Service, Kinds.InCluster(Cluster, "web"), service, null)], CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await _purger.PurgeAsync(CancellationToken.None));

        var settled = service with
        {
            Service = service.Service with { Deployments = [service.Service.Deployments![0] with { RolloutState = DeploymentRolloutStateValues.COMPLETED }] },
            Targets = null,
        };
        await _store.CommitAsync([_documents.Put(Kinds.Service, Kinds.InCluster(Cluster, "web"), settled, null)], CancellationToken.None);
        Assert.Equal(2, await _purger.PurgeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Many_stopped_tasks_go_in_several_commits_in_one_pass()
    {
        const int Count = StoppedTaskPurger.BatchSize * 2 + 17;
        var stopped = Enumerable.Range(0, Count).Select(i => Stopped($"t{i:D4}")).ToList();
        await _store.CommitAsync([.. stopped.Select(t => _documents.Put(Kinds.Task, Kinds.InCluster(Cluster, t.Id), t, null))], CancellationToken.None);
        var before = _store.CurrentRevision;

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Count, await _purger.PurgeAsync(CancellationToken.None));
        Assert.Equal(0, await _store.CountAsync(Kinds.Task, null, CancellationToken.None));
        Assert.Equal(before + 3, _store.CurrentRevision);
    }

    [Fact]
    public async Task The_loop_purges_once_the_retention_has_passed()
    {
        var log = new CapturingLogger<StoppedTaskPurger>();
        var purger = new StoppedTaskPurger(_documents, _time, log) { Retention = TimeSpan.FromMinutes(5) };
        await StoreRunningAsync("short");
        await StopAsync("short");
        using var stop = new CancellationTokenSource();
        var loop = purger.RunAsync(StoppedTaskPurger.DefaultInterval, stop.Token);

        await Until.TrueAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            return log.Entries.Any(e => e.Message.StartsWith("Purged 1 tasks", StringComparison.Ordinal));
        }, "the loop purged the task");
        Assert.Null(await TaskAsync("short"));
        Assert.True(_time.GetUtcNow() - T0 >= TimeSpan.FromMinutes(5));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private TaskRecord Stopped(string id) => Running(Cluster, id, _definition, T0.AddMinutes(-5)) with
    {
        Task = Running(Cluster, id, _definition, T0.AddMinutes(-5)).Task with { LastStatus = "STOPPED", DesiredStatus = "STOPPED", StoppedAt = T0 },
        Counted = Gantry.Domain.Tasks.TaskCounter.None,
    };

    private async Task StoreRunningAsync(string id, string? clientToken = null, string[]? tokenTasks = null, string? startedBy = null, string group = "family:web")
    {
        var running = Running(Cluster, id, _definition, _time.GetUtcNow().AddMinutes(-1), group: group);
        var record = running with { Task = running.Task with { StartedBy = startedBy }, ClientToken = clientToken };
        var ops = new List<WriteOp> { _documents.Put(Kinds.Task, Kinds.InCluster(Cluster, id), record, WriteOp.MustNotExist) };
        if (clientToken is not null)
        {
            ops.Add(_documents.Put(Kinds.TaskClientToken, Kinds.InCluster(Cluster, clientToken), (tokenTasks ?? [id]).Select(t => Arn(Cluster, t)).ToList(), null));
        }
        await _store.CommitAsync(ops, CancellationToken.None);
    }

    private async Task StopAsync(string id) =>
        Assert.Equal(ReportOutcome.Applied, await new TaskStateUpdater(_documents, _time).ApplyAsync(
            new TaskState { TaskArn = Arn(Cluster, id), LastStatus = "STOPPED" }, [InstanceArn(Cluster)], CancellationToken.None));

    private Task<StoredObject?> TaskAsync(string id) => _store.GetAsync(Kinds.Task, Kinds.InCluster(Cluster, id), CancellationToken.None);
}
