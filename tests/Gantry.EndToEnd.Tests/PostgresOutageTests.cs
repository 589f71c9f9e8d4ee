using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;
using Gantry.Testing.Postgres;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// PostgreSQL stopped (`pg_ctl stop -m fast`) for a few seconds in the middle of a burst of signed ECS calls to two
/// `gantry server` replicas with 20 simulated nodes: every answer meanwhile is an error an AWS SDK retries
/// (500 ServerException or 400 ThrottlingException, with a message; never a dropped connection or another shape),
/// boto3's standard retry mode rides it out, the API answers 200 again soon after PostgreSQL is back without a restart,
/// no task a RunTask acknowledged is lost, and the lease, the change feed, the cluster cache and the agent streams
/// recover (tasks placed afterwards, through either replica, are RUNNING; a service reaches its desired count).
/// </summary>
public sealed class PostgresOutageTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Cluster = "outage";
    private const int Nodes = 20;
    private const int Clients = 4;
    private const int MaxTasks = 1500;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BurstAfterOutage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(15);

    private readonly List<GantryProcess> _processes = [];
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>One API answer of the burst: when it came (on <see cref="_clock"/>), which replica and operation, and what it was.</summary>
    private sealed record Answer(TimeSpan At, string Replica, string Operation, HttpStatusCode? Status, string? Type, string? Message, string? Transport)
    {
        public bool Ok => Status == HttpStatusCode.OK;

        /// <summary>What an AWS SDK retries: 500 ServerException or 400 ThrottlingException, as AWS JSON 1.1 with a message.</summary>
        public bool Retryable => Message is { Length: > 0 }
            && ((Status == HttpStatusCode.InternalServerError && Type == "ServerException") || (Status == HttpStatusCode.BadRequest && Type == "ThrottlingException"));

        public override string ToString() => $"{At.TotalSeconds:F2}s {Replica} {Operation}: {(Transport ?? $"{(int?)Status} {Type} {Message}")}";
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var line in _processes.SelectMany(p => p.Output.Split('\n'))
            .Where(l => l.StartsWith("fail", StringComparison.Ordinal) || l.Contains("disconnected", StringComparison.Ordinal)).Take(40))
        {
            output.WriteLine(line);
        }
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_PostgreSQL_outage_mid_burst_gets_retryable_errors_then_200s_and_loses_no_acknowledged_task()
    {
        string[] store = ["--store", postgres.UrlOf(await postgres.CreateDatabaseAsync())];
        var a = await StartAsync(GantryProcess.StartAsync("server", extraArguments: store));
        var bHome = Directory.CreateTempSubdirectory("gantry-home-").FullName;
        var bData = Path.Combine(bHome, ".gantry");
        Directory.CreateDirectory(bData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(a.DataDirectory, "master.key"), Path.Combine(bData, "master.key"));
        var b = await StartAsync(GantryProcess.StartAsync("server", bHome, bData, extraArguments: store));
        await ServerProfile.WriteAsync(a);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var viaA = await SignedClient.ForAsync(http, a);
        var viaB = await SignedClient.ForAsync(http, b);
        await viaA.CallAsync(SignedClient.Ecs + "CreateCluster", new { clusterName = Cluster }, default);
        await viaA.CallAsync(SignedClient.Ecs + "RegisterTaskDefinition", new
        {
            family = "burst",
            containerDefinitions = new[] { new { name = "app", image = "busybox", cpu = 16, memory = 16, essential = true } },
        }, default);
        // The fleet's streams go to replica A; what replica B places reaches them through A's change feed.
        var fleet = await StartAsync(GantryProcess.StartAsync("simulate", a.Home, a.DataDirectory, readyPattern: $"registered {Nodes}/{Nodes}", arguments:
        [
            "--nodes", $"{Nodes}", "--cluster", Cluster, "--server", a.Endpoint.ToString(), "--agent-server", a.AgentEndpoint.ToString(),
            "--join-token", await a.JoinTokenAsync(Cluster), "--run-delay", "250ms",
        ]));

        using var burst = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var clients = Enumerable.Range(0, Clients).Select(i => Task.Run(() => BurstAsync(i % 2 == 0 ? ("A", viaA) : ("B", viaB), i, burst.Token))).ToArray();
        await Eventually.TrueAsync(() => Task.FromResult(_answers.Count(x => x.Ok && x.Operation == "RunTask") >= 20), 30);

        var ready = Path.Combine(a.Home, "boto3-ready");
        var retried = Boto3.RunAsync(a, "outage_boto3.py", Cluster, ready); // botocore's standard retries, once it sees the outage
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(ready) || retried.IsCompleted), 60);
        var stopping = _clock.Elapsed;
        await postgres.StopAsync();
        var down = _clock.Elapsed;
        await Task.Delay(Outage); // the fault's length, not a wait for a condition
        await postgres.StartAsync();
        var back = _clock.Elapsed;
        var backAt = DateTimeOffset.UtcNow;
        burst.CancelAfter(BurstAfterOutage);
        await Task.WhenAll(clients);

        var answers = _answers.OrderBy(x => x.At).ToList();
        var failed = answers.Where(x => !x.Ok).ToList();
        var firstOk = answers.Where(x => x.Ok && x.At > back).Select(x => x.At).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        var lastFailure = failed.Select(x => x.At).DefaultIfEmpty(TimeSpan.Zero).Max();
        output.WriteLine($"{answers.Count} answers ({answers.Count(x => x.Ok)} 200); PostgreSQL stopping at {stopping.TotalSeconds:F2} s, down at {down.TotalSeconds:F2} s, "
            + $"back at {back.TotalSeconds:F2} s; first 200 after it {(firstOk - back).TotalSeconds:F2} s later; last failure {(lastFailure - back).TotalSeconds:F2} s after it");
        foreach (var group in failed.GroupBy(x => (x.Status, x.Type, x.Transport is null ? null : x.Transport.Split(':')[0])))
        {
            output.WriteLine($"  {group.Count()} x {(int?)group.Key.Status} {group.Key.Type ?? group.Key.Item3} ({string.Join(", ", group.GroupBy(x => x.Operation).Select(o => $"{o.Key} {o.Count()}"))})");
        }
        foreach (var answer in failed.Take(3).Concat(failed.TakeLast(3)).Distinct())
        {
            output.WriteLine($"  e.g. {answer}");
        }
        Assert.True(failed.Count > 0, "the burst saw no failure: the outage was not exercised");
        Assert.All(failed, x => Assert.True(x.Retryable, $"not an error an SDK retries: {x}"));
        Assert.All(failed, x => Assert.Equal("Service Unavailable. Please try again later.", x.Message)); // the store's outage, not a bug
        Assert.True(firstOk - back < RecoveryBound, $"no 200 within {RecoveryBound} of PostgreSQL being back");
        Assert.All(answers.Where(x => x.At > firstOk + TimeSpan.FromSeconds(5)), x => Assert.True(x.Ok, $"still failing 5 s after the first 200: {x}"));
        foreach (var replica in new[] { "A", "B" })
        {
            Assert.Contains(answers, x => x.Ok && x.Replica == replica && x.At > back);
        }

        var boto = await retried;
        output.WriteLine($"boto3 (standard retry mode) from inside the outage: {boto}");
        Assert.True(boto.GetProperty("retries").GetInt32() >= 1, $"boto3 never retried: {boto}");
        Assert.All(boto.GetProperty("failed").EnumerateArray(), f => Assert.Contains(f.GetProperty("code").GetString(), new[] { "ServerException", "ThrottlingException" }));
        Assert.Equal([Cluster], boto.GetProperty("clusters").EnumerateArray().Select(c => c.GetString()));

        // Nothing acknowledged is lost: every task a RunTask answered with 200 exists and reaches RUNNING.
        var acknowledged = _acknowledged.ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Distinct(StringComparer.Ordinal).Count());
        var settling = Stopwatch.StartNew();
        try
        {
            await Eventually.TrueAsync(async () => await AllRunningAsync(viaA, acknowledged), 60);
        }
        catch (Xunit.Sdk.TrueException)
        {
            await ReportNotRunningAsync(viaA, acknowledged);
            throw;
        }
        output.WriteLine($"all {acknowledged.Count} acknowledged tasks RUNNING {settling.Elapsed.TotalSeconds:F1} s after the burst; simulator: {fleet.Output.Split('\n')[^1]}");

        // Recovered: the lease renewed after the outage; the fleet connected again; a task placed through the replica the
        // fleet is not connected to reaches it (A's change feed); the leader's service controller runs a service.
        await Eventually.TrueAsync(async () => (await LeaseRenewedAtAsync(a)) > backAt, 30);
        await Eventually.TrueAsync(async () => await ConnectedInstancesAsync(viaA) == Nodes, 45);
        var after = (await viaB.CallAsync(SignedClient.Ecs + "RunTask", new { cluster = Cluster, taskDefinition = "burst" }, default))
            .GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await Eventually.TrueAsync(async () => await AllRunningAsync(viaB, [after]), 30);
        await viaA.CallAsync(SignedClient.Ecs + "CreateService", new { cluster = Cluster, serviceName = "after", taskDefinition = "burst", desiredCount = 3 }, default);
        await Eventually.TrueAsync(async () => (await viaB.CallAsync(SignedClient.Ecs + "DescribeServices", new { cluster = Cluster, services = new[] { "after" } }, default))
            .GetProperty("services")[0].GetProperty("runningCount").GetInt32() == 3, 30);
        output.WriteLine($"recovered {_clock.Elapsed.TotalSeconds - back.TotalSeconds:F1} s after PostgreSQL was back: lease renewed, {Nodes} nodes connected, "
            + "a task through replica B and a service of 3 RUNNING");
    }

    /// <summary>One client of the burst: RunTask (count 1-5), DescribeTasks, ListTasks, DescribeClusters in turn until cancelled.</summary>
    private async Task BurstAsync((string Name, SignedClient Client) replica, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        for (var call = 0; !ct.IsCancellationRequested; call++)
        {
            var recent = _acknowledged.TakeLast(10).ToArray();
            var (operation, request) = (call % 4) switch
            {
                0 when _acknowledged.Count < MaxTasks => ("RunTask", (object)new { cluster = Cluster, taskDefinition = "burst", count = random.Next(1, 6) }),
                1 when recent.Length > 0 => ("DescribeTasks", new { cluster = Cluster, tasks = recent }),
                2 => ("ListTasks", new { cluster = Cluster }),
                _ => ("DescribeClusters", (object)new { clusters = new[] { Cluster } }),
            };
            try
            {
                var (status, body) = await replica.Client.SendAsync(SignedClient.Ecs + operation, request, ct);
                _answers.Enqueue(Read(replica.Name, operation, status, body));
                if (operation == "RunTask" && status == HttpStatusCode.OK)
                {
                    using var json = JsonDocument.Parse(body);
                    foreach (var task in json.RootElement.GetProperty("tasks").EnumerateArray())
                    {
                        _acknowledged.Enqueue(task.GetProperty("taskArn").GetString()!);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                _answers.Enqueue(new Answer(_clock.Elapsed, replica.Name, operation, null, null, null, $"{e.GetType().Name}: {e.Message}"));
            }
        }
    }

    private Answer Read(string replica, string operation, HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.OK)
        {
            return new Answer(_clock.Elapsed, replica, operation, status, null, null, null);
        }
        try
        {
            using var json = JsonDocument.Parse(body);
            string? Text(string name) => json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return new Answer(_clock.Elapsed, replica, operation, status, Text("__type"), Text("message"), null);
        }
        catch (JsonException)
        {
            return new Answer(_clock.Elapsed, replica, operation, status, null, null, $"not JSON: '{body[..Math.Min(body.Length, 200)]}'");
        }
    }

    private static async Task<bool> AllRunningAsync(SignedClient client, IReadOnlyList<string> tasks)
    {
        foreach (var chunk in tasks.Chunk(100))
        {
            var described = await client.CallAsync(SignedClient.Ecs + "DescribeTasks", new { cluster = Cluster, tasks = chunk }, default);
            Assert.Empty(described.GetProperty("failures").EnumerateArray()); // MISSING: an acknowledged task was lost
            if (described.GetProperty("tasks").EnumerateArray().Any(t => t.GetProperty("lastStatus").GetString() != "RUNNING"))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Prints the acknowledged tasks that are not RUNNING: what the store says of them and when they were made.</summary>
    private async Task ReportNotRunningAsync(SignedClient client, IReadOnlyList<string> tasks)
    {
        foreach (var chunk in tasks.Chunk(100))
        {
            var described = await client.CallAsync(SignedClient.Ecs + "DescribeTasks", new { cluster = Cluster, tasks = chunk }, default);
            foreach (var task in described.GetProperty("tasks").EnumerateArray().Where(t => t.GetProperty("lastStatus").GetString() != "RUNNING").Take(20))
            {
                output.WriteLine($"not RUNNING: {task}");
                var id = task.GetProperty("taskArn").GetString()!.Split('/')[^1];
                foreach (var line in _processes.SelectMany(p => p.Output.Split('\n')).Where(l => l.Contains(id, StringComparison.Ordinal)).Take(5))
                {
                    output.WriteLine($"  log: {line}");
                }
            }
        }
    }

    private static async Task<int> ConnectedInstancesAsync(SignedClient client)
    {
        var arns = (await client.CallAsync(SignedClient.Ecs + "ListContainerInstances", new { cluster = Cluster }, default)).GetProperty("containerInstanceArns")
            .EnumerateArray().Select(x => x.GetString()!).ToArray();
        var described = await client.CallAsync(SignedClient.Ecs + "DescribeContainerInstances", new { cluster = Cluster, containerInstances = arns }, default);
        return described.GetProperty("containerInstances").EnumerateArray().Count(i => i.GetProperty("agentConnected").GetBoolean());
    }

    private static async Task<DateTimeOffset> LeaseRenewedAtAsync(GantryProcess server)
    {
        using var status = JsonDocument.Parse(await server.CliAsync(null, "cluster", "status", "--json"));
        return status.RootElement.TryGetProperty("lease", out var lease) && lease.TryGetProperty("renewedAt", out var renewed) && renewed.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(renewed.GetDouble() * 1000))
            : DateTimeOffset.MinValue;
    }

    private async Task<GantryProcess> StartAsync(Task<GantryProcess> starting)
    {
        var process = await starting;
        _processes.Add(process);
        return process;
    }
}
