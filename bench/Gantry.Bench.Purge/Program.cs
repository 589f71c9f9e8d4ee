// What a cluster's stopped-task history costs the control plane, before and after the purge: RunTask (the real handler,
// which reads the whole cluster to place), the cluster read every service reconcile makes, DescribeTasks of 100 live
// tasks, ListTasks' first page of RUNNING tasks; then the purge pass itself and the change feed's compaction (keeping the
// newest 20 revisions: the seeding commits 500 tasks per revision).
// One real SQLite store (WAL, synchronous=FULL) in a temporary directory; a fake clock moves past the retention.
// Usage: dotnet run -c Release --project bench/Gantry.Bench.Purge [stopped tasks, default 20000] [iterations, default 30]
using System.Diagnostics;
using System.Globalization;
using Gantry.Api.Ecs;
using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.Networks;
using Gantry.ControlPlane.Retention;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

var stoppedCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
const string ClusterName = "bench";
const int Instances = 50, LiveTasks = 200, KeptRevisions = 20;
var ct = CancellationToken.None;
var directory = Directory.CreateTempSubdirectory("gantry-bench-purge-").FullName;
var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
try
{
    await using var store = await SqliteStateStore.OpenAsync(Path.Combine(directory, "state.db"), ct);
    var documents = new Documents(store, AwsJson.Options);
    var arns = new EcsArns(AwsAccount.Default);
    using var clusters = new ClusterStateCache(documents);
    var instances = new ContainerInstanceRegistry(documents, arns, clusters, time);
    var dispatcher = new TaskDispatcher(new AgentSessions());
    var launcher = new TaskLauncher(documents, arns, clusters, new LaunchTargets(clusters, new CapacityProviderDirectory(documents)), dispatcher,
        time, new Random(7));
    var tasks = new TaskOperations(documents, arns, new TaskDefinitionLookup(documents, arns), launcher, new TaskStopper(documents, dispatcher, time),
    new AwsvpcNetworkRules(new NetworkDirectory(documents, AwsAccount.Default)));

    await new ClusterOperations(documents, arns, new CapacityProviderDirectory(documents), clusters).CreateAsync(new CreateClusterRequest { ClusterName = ClusterName }, ct);
    for (var i = 0; i < Instances; i++)
    {
        var instance = await instances.RegisterAsync(new NodeRegistration(ClusterName, $"i-{i:D17}", 1_024_000, 4_096_000, [22],
            [new("ecs.availability-zone", $"us-east-1{(char)('a' + i % 3)}")], "1.0.0", "bench"), ct);
        await instances.SetConnectedAsync(ClusterName, EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!), true, ct);
    }
    await new TaskDefinitionOperations(documents, arns, time).RegisterAsync(new RegisterTaskDefinitionRequest
    {
        Family = "web",
        ContainerDefinitions =
        [
            new ContainerDefinition
            {
                Name = "app", Image = "registry.local/web:1.4.2", Memory = 256, Cpu = 128, Essential = true,
                PortMappings = [new PortMapping { ContainerPort = 8080 }],
                Environment = [.. Enumerable.Range(0, 8).Select(e => new Gantry.Domain.Ecs.KeyValuePair { Name = $"SETTING_{e}", Value = $"value-{e}-{new string('x', 24)}" })],
            },
            new ContainerDefinition { Name = "sidecar", Image = "registry.local/proxy:2.0", Memory = 64, Cpu = 64, Essential = false },
        ],
    }, ct);

    var run = new RunTaskRequest { Cluster = ClusterName, TaskDefinition = "web", Count = 10 };
    var live = new List<string>();
    for (var i = 0; i < LiveTasks / 10; i++)
    {
        live.AddRange((await tasks.RunAsync(run, ct)).Tasks!.Select(t => t.TaskArn!));
    }
    await SeedStoppedAsync(documents, ClusterName, live[0], stoppedCount, time.GetUtcNow(), ct);
    var describe = new DescribeTasksRequest { Cluster = ClusterName, Tasks = [.. live.Take(100)] };
    var list = new ListTasksRequest { Cluster = ClusterName, MaxResults = 100 };
    var runOne = run with { Count = 1 };
    var fileBytes = () => new DirectoryInfo(directory).EnumerateFiles("state.db*").Sum(f => f.Length);

    Console.WriteLine($"{stoppedCount:N0} stopped tasks, {LiveTasks} live, {Instances} instances; {iterations} iterations each, median (p90) ms");
    Console.WriteLine($"{"",-34}{"before purge",22}{"after purge",22}{"ratio",8}");
    var before = await MeasureAllAsync();
    time.Advance(StoppedTaskPurger.DefaultRetention + TimeSpan.FromMinutes(1));
    var purgeWatch = Stopwatch.StartNew();
    var purged = await new StoppedTaskPurger(documents, time, NullLogger<StoppedTaskPurger>.Instance).PurgeAsync(ct);
    var purgeMs = purgeWatch.Elapsed.TotalMilliseconds;
    var idleWatch = Stopwatch.StartNew();
    await new StoppedTaskPurger(documents, time, NullLogger<StoppedTaskPurger>.Instance).PurgeAsync(ct);
    var idleMs = idleWatch.Elapsed.TotalMilliseconds;
    var after = await MeasureAllAsync();
    foreach (var (name, b) in before)
    {
        var a = after[name];
        Console.WriteLine($"{name,-34}{b.Median,12:F2} ({b.P90,7:F2}){a.Median,12:F2} ({a.P90,7:F2}){b.Median / a.Median,7:F1}x");
    }
    Console.WriteLine($"purge pass: {purged:N0} tasks deleted in {purgeMs:F0} ms; a pass with nothing to purge {idleMs:F1} ms");
    Console.WriteLine($"tasks stored after the purge: {await store.CountAsync(Kinds.Task, null, ct):N0}");

    var feedBefore = await FeedLengthAsync(store, ct);
    var bytesBefore = fileBytes();
    var compactWatch = Stopwatch.StartNew();
    var compacted = await store.CompactChangesAsync(store.CurrentRevision - KeptRevisions, ct);
    var compactMs = compactWatch.Elapsed.TotalMilliseconds;
    Console.WriteLine($"change feed: {feedBefore:N0} changes; compacted through revision {compacted:N0} of {store.CurrentRevision:N0} in {compactMs:F0} ms; " +
        $"{await FeedLengthAsync(store, ct, compacted):N0} changes left; database files {bytesBefore / 1e6:F1} MB (SQLite reuses the freed pages)");

    async Task<Dictionary<string, (double Median, double P90)>> MeasureAllAsync() => new()
    {
        ["RunTask (count 1)"] = await MeasureAsync(() => tasks.RunAsync(runOne, ct)),
        ["cluster read (service reconcile)"] = await MeasureAsync(() => ClusterSnapshot.ReadAsync(documents, instances, ClusterName, ct)),
        ["DescribeTasks (100 live)"] = await MeasureAsync(() => tasks.DescribeAsync(describe, ct)),
        ["ListTasks (RUNNING, first 100)"] = await MeasureAsync(() => tasks.ListAsync(list, ct)),
    };

    async Task<(double Median, double P90)> MeasureAsync<T>(Func<Task<T>> operation)
    {
        for (var i = 0; i < 3; i++)
        {
            await operation();
        }
        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await operation();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        return (samples[samples.Count / 2], samples[(int)(samples.Count * 0.9)]);
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}

// Stopped tasks as the control plane leaves them (STOPPED, resources released), copies of a real launched task with
// their own ids, written 500 per commit.
static async Task SeedStoppedAsync(Documents documents, string cluster, string templateArn, int count, DateTimeOffset stoppedAt, CancellationToken ct)
{
    var template = (await documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, EcsArns.TaskId(templateArn)), ct))!.Value;
    for (var start = 0; start < count; start += 500)
    {
        var ops = new List<WriteOp>();
        for (var i = start; i < Math.Min(count, start + 500); i++)
        {
            var id = Guid.NewGuid().ToString("N");
            var arn = template.Task.TaskArn![..^EcsArns.TaskId(templateArn).Length] + id;
            var stopped = template with
            {
                Task = template.Task with
                {
                    TaskArn = arn,
                    LastStatus = Gantry.Domain.Tasks.TaskStatus.Stopped,
                    DesiredStatus = Gantry.Domain.Tasks.TaskStatus.Stopped,
                    StoppedAt = stoppedAt,
                    StopCode = "EssentialContainerExited",
                    StoppedReason = "Essential container in task exited",
                },
                Counted = TaskCounter.None,
            };
            ops.Add(documents.Put(Kinds.Task, Kinds.InCluster(cluster, id), stopped, WriteOp.MustNotExist));
        }
        await documents.Store.CommitAsync(ops, ct);
    }
}

static async Task<long> FeedLengthAsync(IStateStore store, CancellationToken ct, long after = 0)
{
    long total = 0;
    while (true)
    {
        var page = await store.ChangesSinceAsync(after, 10_000, ct);
        total += page.Count;
        if (page.Count < 10_000)
        {
            return total;
        }
        after = page[^1].Revision;
    }
}
