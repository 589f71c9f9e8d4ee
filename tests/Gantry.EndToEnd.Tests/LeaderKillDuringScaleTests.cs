using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gantry.EndToEnd.Tests.Infrastructure;
using Gantry.Testing.Postgres;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Issue 16's first fault: two `gantry server` replicas on one PostgreSQL database, 40 simulated nodes (`gantry simulate`)
/// given both replicas, a service scaled 0→200, and kill -9 of the leader as soon as the first tasks are placed. The
/// follower takes the lease and finishes the deployment: exactly 200 tasks RUNNING, none placed twice (no duplicate
/// stopped, the nodes themselves run 200), none lost, the deployment COMPLETED.
/// </summary>
public sealed partial class LeaderKillDuringScaleTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Cluster = "leader-kill";
    private const string Service = "scale";
    private const int Nodes = 40, Desired = 200;
    private readonly List<GantryProcess> _processes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // What went wrong, if anything: the errors and warnings of every process, and where the fleet stands.
        foreach (var line in _processes.SelectMany(p => p.Output.Split('\n')).Where(l => l.StartsWith("fail", StringComparison.Ordinal) || l.StartsWith("warn", StringComparison.Ordinal)).Take(40))
        {
            output.WriteLine(line);
        }
        foreach (var line in _processes.SelectMany(p => p.Output.Split('\n')).Where(l => ProgressLine().IsMatch(l)).TakeLast(1))
        {
            output.WriteLine($"simulator: {line}");
        }
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Killing_the_leader_while_a_service_scales_to_200_leaves_exactly_200_tasks_and_a_completed_deployment()
    {
        string[] store = ["--store", postgres.UrlOf(await postgres.CreateDatabaseAsync()), "--node-lost-after", "60"];
        var a = await StartAsync(GantryProcess.StartAsync("server", extraArguments: store));
        await ServerProfile.WriteAsync(a);
        var aId = ReplicaId(a);
        await Eventually.TrueAsync(async () => Holder(await StatusAsync(a)) == aId, 30);
        var bHome = Directory.CreateTempSubdirectory("gantry-home-").FullName;
        var bData = Path.Combine(bHome, ".gantry");
        Directory.CreateDirectory(bData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(a.DataDirectory, "master.key"), Path.Combine(bData, "master.key"));
        var b = await StartAsync(GantryProcess.StartAsync("server", bHome, bData, extraArguments: store));
        await ServerProfile.WriteAsync(b);
        var bId = ReplicaId(b);
        var viaB = new AwsCli(b);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var leader = await SignedClient.ForAsync(http, a);
        var survivor = await SignedClient.ForAsync(http, b);

        await viaB.OkAsync("ecs", "create-cluster", "--cluster-name", Cluster);
        await viaB.OkAsync("ecs", "register-task-definition", "--family", "tiny", "--container-definitions",
            """[{"name":"app","image":"busybox","cpu":16,"memory":32,"essential":true}]""");
        // The nodes start spread over both replicas (node i on replica i mod 2) and fail over to the other one; a task stays
        // PENDING 2 s, so the kill lands while the deployment is far from done.
        var fleet = await StartAsync(GantryProcess.StartAsync("simulate", readyPattern: "Simulating", arguments:
        [
            "--nodes", $"{Nodes}", "--cluster", Cluster, "--server", $"{a.Endpoint},{b.Endpoint}", "--agent-server", $"{a.AgentEndpoint},{b.AgentEndpoint}",
            "--join-token", await a.JoinTokenAsync(Cluster), "--run-delay", "2s", "--connect-parallelism", "8",
        ]));
        await Eventually.TrueAsync(() => Task.FromResult(Progress(fleet)?.Registered == Nodes), 60);
        // Nodes on both replicas: the kill cuts the streams of the leader's share, which must come back through the survivor.
        var onLeader = 0;
        await Eventually.TrueAsync(async () => await StatusAsync(b) is var status && (onLeader = Agents(status, aId)) + Agents(status, bId) == Nodes, 15);
        Assert.InRange(onLeader, 1, Nodes - 1);

        await viaB.OkAsync("ecs", "create-service", "--cluster", Cluster, "--service-name", Service, "--task-definition", "tiny", "--desired-count", "0");
        await viaB.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", Service, "--desired-count", $"{Desired}");
        // kill -9 of the leader as soon as it has placed the first tasks.
        var (placed, running) = (0, 0);
        await Eventually.TrueAsync(async () =>
        {
            var counts = await CountsAsync(leader);
            (placed, running) = (counts.Pending + counts.Running, counts.Running);
            return placed > 0;
        }, 30);
        var killed = Stopwatch.StartNew();
        var killedAt = DateTimeOffset.UtcNow;
        await a.KillAsync();
        output.WriteLine($"leader {aId} killed with {placed} of {Desired} tasks placed, {running} RUNNING, {onLeader} of {Nodes} nodes connected to it");
        Assert.True(running < Desired / 2, $"{running} tasks were RUNNING already: the kill came too late to test anything");

        await Eventually.TrueAsync(async () => Holder(await StatusAsync(b)) == bId, 30);
        var takeover = Time((await StatusAsync(b)).GetProperty("lease").GetProperty("acquiredAt")) - killedAt;
        var counts = (Pending: 0, Running: 0, Rollout: (string?)null);
        try
        {
            await Eventually.TrueAsync(async () => (counts = await CountsAsync(survivor)).Running == Desired, 60);
        }
        finally
        {
            output.WriteLine($"after the kill: service pending {counts.Pending}, running {counts.Running}, rollout {counts.Rollout}");
        }
        var allRunning = killed.Elapsed;
        output.WriteLine($"{bId} took the lease {takeover.TotalSeconds:F2} s after the kill; all {Desired} tasks RUNNING {allRunning.TotalSeconds:F1} s after it");
        Assert.True(takeover < TimeSpan.FromSeconds(10), $"takeover took {takeover}");

        // The deployment completes under the new leader.
        await Eventually.TrueAsync(async () => (await CountsAsync(survivor)).Rollout == "COMPLETED", 30);
        var service = (await viaB.OkAsync("ecs", "describe-services", "--cluster", Cluster, "--services", Service)).GetProperty("services")[0];
        Assert.Equal((Desired, 0), (service.GetProperty("runningCount").GetInt32(), service.GetProperty("pendingCount").GetInt32()));
        var deployment = Assert.Single(service.GetProperty("deployments").EnumerateArray());
        Assert.Equal(("PRIMARY", "COMPLETED", Desired), (deployment.GetProperty("status").GetString(), deployment.GetProperty("rolloutState").GetString(),
            deployment.GetProperty("runningCount").GetInt32()));

        // Exactly 200 distinct tasks, none stopped (a doubled placement would have been stopped as surplus), all RUNNING.
        var arns = await TaskArnsAsync(viaB, "RUNNING");
        Assert.Equal(Desired, arns.Count);
        Assert.Equal(Desired, arns.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(await TaskArnsAsync(viaB, "STOPPED"));
        var tasks = new List<JsonElement>();
        foreach (var chunk in arns.Chunk(100))
        {
            tasks.AddRange((await viaB.OkAsync(["ecs", "describe-tasks", "--cluster", Cluster, "--tasks", .. chunk])).GetProperty("tasks").EnumerateArray());
        }
        Assert.All(tasks, t => Assert.Equal("RUNNING", t.GetProperty("lastStatus").GetString()));

        // Per node: what the control plane counts on each instance is what the tasks name, and sums to 200; the nodes
        // themselves run exactly 200 and stopped none.
        var perInstance = tasks.GroupBy(t => t.GetProperty("containerInstanceArn").GetString()!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var instanceArns = (await viaB.OkAsync("ecs", "list-container-instances", "--cluster", Cluster)).GetProperty("containerInstanceArns")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(Nodes, instanceArns.Count);
        var instances = (await viaB.OkAsync(["ecs", "describe-container-instances", "--cluster", Cluster, "--container-instances", .. instanceArns]))
            .GetProperty("containerInstances").EnumerateArray().ToList();
        Assert.All(instances, i => Assert.Equal(perInstance.GetValueOrDefault(i.GetProperty("containerInstanceArn").GetString()!),
            i.GetProperty("runningTasksCount").GetInt32()));
        Assert.Equal(Desired, instances.Sum(i => i.GetProperty("runningTasksCount").GetInt32()));
        Assert.All(instances, i => Assert.True(i.GetProperty("agentConnected").GetBoolean()));
        await Eventually.TrueAsync(() => Task.FromResult(Progress(fleet) is { Running: Desired }), 10);
        var nodes = Progress(fleet)!.Value;
        Assert.Equal((Desired, (long)Desired, 0L), (nodes.Running, nodes.Started, nodes.Stopped));

        // Served by the survivor, which `gantry cluster status` shows as the leader holding every node.
        await Eventually.TrueAsync(async () => await StatusAsync(b) is var status && Holder(status) == bId && Agents(status, bId) == Nodes, 15);
        output.WriteLine($"per node: {string.Join(' ', instances.Select(i => i.GetProperty("runningTasksCount").GetInt32()).Order())}");
    }

    private async Task<GantryProcess> StartAsync(Task<GantryProcess> starting)
    {
        var process = await starting;
        _processes.Add(process);
        return process;
    }

    private static async Task<(int Pending, int Running, string? Rollout)> CountsAsync(SignedClient client)
    {
        var service = (await client.CallAsync(SignedClient.Ecs + "DescribeServices", new { cluster = Cluster, services = new[] { Service } }, CancellationToken.None))
            .GetProperty("services")[0];
        var primary = service.GetProperty("deployments").EnumerateArray().FirstOrDefault(d => d.GetProperty("status").GetString() == "PRIMARY");
        return (service.GetProperty("pendingCount").GetInt32(), service.GetProperty("runningCount").GetInt32(),
            primary.ValueKind == JsonValueKind.Object && primary.TryGetProperty("rolloutState", out var state) ? state.GetString() : null);
    }

    private static async Task<List<string>> TaskArnsAsync(AwsCli aws, string desiredStatus) =>
        [.. (await aws.OkAsync("ecs", "list-tasks", "--cluster", Cluster, "--service-name", Service, "--desired-status", desiredStatus))
            .GetProperty("taskArns").EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>The simulator's last progress line: nodes registered now, tasks running now, started and stopped since the start.</summary>
    private static (int Registered, int Running, long Started, long Stopped)? Progress(GantryProcess fleet)
    {
        var match = fleet.Output.Split('\n').Select(l => ProgressLine().Match(l)).LastOrDefault(m => m.Success);
        return match is null ? null
            : (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(match.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string ReplicaId(GantryProcess server) => File.ReadAllText(Path.Combine(server.DataDirectory, "replica-id")).Trim();

    private static async Task<JsonElement> StatusAsync(GantryProcess server)
    {
        using var json = JsonDocument.Parse(await server.CliAsync(null, "cluster", "status", "--json"));
        return json.RootElement.Clone();
    }

    private static DateTimeOffset Time(JsonElement seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds.GetDouble() * 1000));

    private static string? Holder(JsonElement status) =>
        status.TryGetProperty("lease", out var lease) ? lease.GetProperty("holder").GetString() : null;

    private static int Agents(JsonElement status, string replica) => status.GetProperty("replicas").EnumerateArray()
        .Where(r => r.GetProperty("replicaId").GetString() == replica).Select(r => r.GetProperty("connectedAgents").GetInt32()).FirstOrDefault();

    [GeneratedRegex(@"registered (\d+)/\d+  running tasks (\d+)  started (\d+)  stopped (\d+)")]
    private static partial Regex ProgressLine();
}
