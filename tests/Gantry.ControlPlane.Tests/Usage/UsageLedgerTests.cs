using Gantry.Agent.Protocol;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.ControlPlane.Usage;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Time.Testing;
using static Gantry.ControlPlane.Tests.Usage.UsageTasks;

namespace Gantry.ControlPlane.Tests.Usage;

/// <summary>The usage ledger over a real SQLite store: written once when a task stops, kept after the task is deleted, summed a page at a time.</summary>
public sealed class UsageLedgerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-usage-").FullName;
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(10));
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

    private UsageLedger Ledger => new(_documents);

    private async Task<TaskRecord> StoreRunningAsync(string cluster, string id, TaskDefinition definition, DateTimeOffset? pullStartedAt, string group = "family:web")
    {
        var record = Running(cluster, id, definition, pullStartedAt, group: group);
        var ops = new List<WriteOp> { _documents.Put(Kinds.Task, Kinds.InCluster(cluster, id), record, WriteOp.MustNotExist) };
        if (await _store.GetAsync(Kinds.Cluster, cluster, CancellationToken.None) is null)
        {
            ops.Add(_documents.Put(Kinds.Cluster, cluster, new Cluster { ClusterName = cluster, Status = "ACTIVE", RunningTasksCount = 0 }, WriteOp.MustNotExist));
        }
        await _store.CommitAsync(ops, CancellationToken.None);
        return record;
    }

    private Task<ReportOutcome> ReportStoppedAsync(string cluster, string id, DateTimeOffset executionStoppedAt) =>
        new TaskStateUpdater(_documents, _time).ApplyAsync(
            new TaskState { TaskArn = Arn(cluster, id), LastStatus = "STOPPED", ExecutionStoppedAtMs = executionStoppedAt.ToUnixTimeMilliseconds() },
            [InstanceArn(cluster)], CancellationToken.None);

    private async Task<List<UsageRecord>> RecordsAsync()
    {
        var records = new List<UsageRecord>();
        await foreach (var stored in _documents.EnumerateAsync<UsageRecord>(Kinds.Usage, null, null, CancellationToken.None))
        {
            records.Add(stored.Value);
        }
        return records;
    }

    [Fact]
    public async Task A_STOPPED_reported_twice_or_by_two_writers_at_once_is_recorded_once()
    {
        await StoreRunningAsync("c1", "twice", FargateDefinition("web"), T0);
        await StoreRunningAsync("c1", "racing", FargateDefinition("web"), T0);

        Assert.Equal(ReportOutcome.Applied, await ReportStoppedAsync("c1", "twice", T0.AddSeconds(90.5)));
        Assert.Equal(ReportOutcome.Applied, await ReportStoppedAsync("c1", "twice", T0.AddSeconds(95)));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => ReportStoppedAsync("c1", "racing", T0.AddSeconds(120 + i)))));

        var records = await RecordsAsync();
        Assert.Equal(2, records.Count);
        var twice = records.Single(r => r.TaskArn == Arn("c1", "twice"));
        Assert.Equal((91L, 91 * 0.25, 91 * 0.5), (twice.BilledSeconds, twice.VcpuSeconds, twice.GbSeconds));
        Assert.Equal(T0.AddSeconds(90.5), twice.Stop);
        var report = await Ledger.SumAsync(new UsageQuery(null, null, UsageGrouping.Family), _time.GetUtcNow(), CancellationToken.None);
        var web = Assert.Single(report.Groups);
        Assert.Equal(2, web.Tasks);
        Assert.Equal(0, web.RunningTasks);
    }

    [Fact]
    public async Task Usage_survives_the_task_document_being_deleted_by_retention()
    {
        await StoreRunningAsync("c1", "gone", FargateDefinition("batch", cpu: "1024", memory: "2048"), T0, group: "service:shop");
        await ReportStoppedAsync("c1", "gone", T0.AddSeconds(300));
        await _store.CommitAsync([new DeleteOp(Kinds.Task, Kinds.InCluster("c1", "gone"))], CancellationToken.None);
        Assert.Null(await _store.GetAsync(Kinds.Task, Kinds.InCluster("c1", "gone"), CancellationToken.None));

        var report = await Ledger.SumAsync(new UsageQuery(null, null, UsageGrouping.Service), _time.GetUtcNow(), CancellationToken.None);

        var shop = Assert.Single(report.Groups);
        Assert.Equal(("c1", "shop", "FARGATE", 1), (shop.Cluster, shop.Name, shop.LaunchType, shop.Tasks));
        Assert.Equal(300, shop.VcpuSeconds, 9);
        Assert.Equal(600, shop.GbSeconds, 9);
    }

    [Fact]
    public async Task A_task_stopped_before_it_pulled_records_nothing_and_running_tasks_count_up_to_now()
    {
        await StoreRunningAsync("c1", "never", FargateDefinition("web"), pullStartedAt: null);
        await ReportStoppedAsync("c1", "never", T0);
        Assert.Empty(await RecordsAsync());

        await StoreRunningAsync("c2", "live", FargateDefinition("web", cpu: "2048", memory: "4096"), _time.GetUtcNow().AddSeconds(-150));
        var report = await Ledger.SumAsync(new UsageQuery(null, null, UsageGrouping.Cluster), _time.GetUtcNow(), CancellationToken.None);

        var c2 = Assert.Single(report.Groups);
        Assert.Equal(("c2", null, 1, 1), (c2.Cluster, c2.Name, c2.Tasks, c2.RunningTasks));
        Assert.Equal(300, c2.VcpuSeconds, 9);
        Assert.Equal((1, 1, 300.0), (report.Tasks, report.RunningTasks, report.VcpuSeconds));
    }

    [Fact]
    public async Task Sums_page_through_many_records_and_a_window_counts_only_its_part_of_each()
    {
        // 1,250 one-hour tasks of 1 vCPU, one starting every minute: more than two pages of the ledger.
        var ops = new List<WriteOp>();
        for (var i = 0; i < 1250; i++)
        {
            var start = T0.AddMinutes(i);
            var usage = new UsageRecord(Arn("big", $"t{i:D5}"), "big", null, "web", 1, "FARGATE", "FARGATE", 1024, 1024, start, start.AddHours(1), 3600, 3600, 3600);
            ops.Add(_documents.Put(Kinds.Usage, Kinds.UsageKey(usage.Stop, usage.Cluster, $"t{i:D5}"), usage, WriteOp.MustNotExist));
        }
        await _store.CommitAsync(ops, CancellationToken.None);
        var now = T0.AddDays(2);

        var all = await Ledger.SumAsync(new UsageQuery(null, null, UsageGrouping.Family), now, CancellationToken.None);
        Assert.Equal(1250, all.Tasks);
        Assert.Equal(1250 * 3600.0, all.VcpuSeconds, 6);
        var sinceTheBeginning = await Ledger.SumAsync(new UsageQuery(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, UsageGrouping.Family), now, CancellationToken.None);
        Assert.Equal(all, sinceTheBeginning with { Groups = all.Groups });
        Assert.Equal(all.Groups, sinceTheBeginning.Groups);

        // From the last task's start: it counts whole, the 59 before it their last minutes (59 + 58 + ... + 1 minutes).
        var since = T0.AddMinutes(1249);
        var window = await Ledger.SumAsync(new UsageQuery(since, null, UsageGrouping.Family), now, CancellationToken.None);
        Assert.Equal(60, window.Tasks);
        Assert.Equal(3600 + (60.0 * (59 * 60 / 2)), window.VcpuSeconds, 6);

        var between = await Ledger.SumAsync(new UsageQuery(T0.AddMinutes(30), T0.AddMinutes(90), UsageGrouping.Cluster), now, CancellationToken.None);
        // Tasks 0..30 overlap it by 30..60 minutes, tasks 31..89 by 59..1: 1,395 + 1,770 minutes.
        Assert.Equal(90, between.Tasks);
        Assert.Equal((1395 + 1770) * 60.0, between.VcpuSeconds, 6);
    }
}
