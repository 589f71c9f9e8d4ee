using System.Diagnostics;
using System.Text.Json;
using Gantry.EndToEnd.Tests.Infrastructure;
using Gantry.Testing.Postgres;
using Xunit.Abstractions;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Two `gantry server` replicas on one PostgreSQL database and one real agent given both: work placed through the
/// leader reaches the agent connected to the follower; kill -9 of the leader hands the lease to the follower within
/// 10 s, services are still reconciled and the agent keeps its tasks; kill -9 of the agent's replica sends the agent
/// to the other one.
/// </summary>
public sealed class ReplicaFailoverTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private const string Cluster = "replicas";
    private const string BridgeAddress = "10.233.0.1";
    private const string BridgeName = "gantry233";
    private readonly List<GantryProcess> _processes = [];
    private string _stateDirectory = null!;

    public Task InitializeAsync()
    {
        _stateDirectory = Directory.CreateTempSubdirectory("gantry-replicas-agent-").FullName;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var line in _processes.Where(p => p.Output.Contains("dialing", StringComparison.Ordinal)).SelectMany(p => p.Output.Split('\n').TakeLast(30)))
        {
            output.WriteLine(line); // the agent's last words: which replica it used and why it moved
        }
        foreach (var line in _processes.SelectMany(p => p.Output.Split('\n')).Where(l => l.StartsWith("fail", StringComparison.Ordinal)).Take(20))
        {
            output.WriteLine(line);
        }
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await NodeCleanup.RemoveContainersAsync(_stateDirectory);
        await Tool.RunAsync("/usr/sbin/ip", ["link", "delete", BridgeName]);
    }

    [Fact]
    public async Task The_follower_takes_over_the_leader_and_the_agent_fails_over_to_the_other_replica()
    {
        string[] store = ["--store", postgres.UrlOf(await postgres.CreateDatabaseAsync()), "--node-lost-after", "60"];
        var a = await StartAsync(GantryProcess.StartAsync("server", extraArguments: store));
        await ServerProfile.WriteAsync(a);
        var aId = ReplicaId(a);
        await Eventually.TrueAsync(async () => Holder(await StatusAsync(a)) == aId, 30);
        // The second replica of the database: its own data directory, the same master key.
        var bHome = Directory.CreateTempSubdirectory("gantry-home-").FullName;
        var bData = Path.Combine(bHome, ".gantry");
        Directory.CreateDirectory(bData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(a.DataDirectory, "master.key"), Path.Combine(bData, "master.key"));
        var b = await StartAsync(GantryProcess.StartAsync("server", bHome, bData, extraArguments: store));
        await ServerProfile.WriteAsync(b);
        var bId = ReplicaId(b);
        var viaA = new AwsCli(a);
        var viaB = new AwsCli(b);
        await viaA.OkAsync("ecs", "create-cluster", "--cluster-name", Cluster);
        await SampleImage.ImportBusyboxAsync(a);
        await SampleImage.ImportBusyboxAsync(b);
        await viaA.OkAsync("ecs", "register-task-definition", "--family", "sleeper", "--container-definitions",
            """[{"name":"app","image":"busybox","memory":16,"essential":true,"stopTimeout":2,"command":["sleep","600"]}]""");

        // One agent, given the follower first: it registers there.
        var agent = await StartAsync(GantryProcess.StartAsync("agent", a.Home, a.DataDirectory, readyPattern: "dialing", arguments:
        [
            "--server", $"{b.Endpoint},{a.Endpoint}", "--agent-server", $"{b.AgentEndpoint},{a.AgentEndpoint}", "--cluster", Cluster,
            "--join-token", await a.JoinTokenAsync(Cluster), "--state-dir", _stateDirectory, "--publish-address", "127.0.0.1", "--bridge-address", BridgeAddress,
        ]));
        await Eventually.TrueAsync(async () => Agents(await StatusAsync(a), bId) == 1 && await ConnectedAsync(viaA), 60);

        // RunTask answered by the leader reaches the agent through the follower's change feed.
        var run = await viaA.OkAsync("ecs", "run-task", "--cluster", Cluster, "--task-definition", "sleeper");
        var standalone = run.GetProperty("tasks")[0].GetProperty("taskArn").GetString()!;
        await viaA.OkAsync("ecs", "wait", "tasks-running", "--cluster", Cluster, "--tasks", standalone);
        await viaA.OkAsync("ecs", "create-service", "--cluster", Cluster, "--service-name", "keep", "--task-definition", "sleeper", "--desired-count", "1");
        await Eventually.TrueAsync(async () => await RunningCountAsync(viaA) == 1, 60);
        var serviceTask = (await viaA.OkAsync("ecs", "list-tasks", "--cluster", Cluster, "--service-name", "keep")).GetProperty("taskArns")[0].GetString()!;

        // kill -9 of the leader: the follower takes the lease within 10 s (its acquiredAt, on this machine's clock).
        var killedAt = DateTimeOffset.UtcNow;
        await a.KillAsync();
        await Eventually.TrueAsync(async () => Holder(await StatusAsync(b)) == bId, 30);
        var lease = (await StatusAsync(b)).GetProperty("lease");
        var takeover = Time(lease.GetProperty("acquiredAt")) - killedAt;
        output.WriteLine($"leader {aId} killed: {bId} took the lease after {takeover.TotalSeconds:F2} s (fencing token {lease.GetProperty("fencingToken").GetInt64()})");
        Assert.True(takeover < TimeSpan.FromSeconds(10), $"takeover took {takeover}");

        // The new leader reconciles the service; the agent kept its tasks (the same ones, still RUNNING).
        await viaB.OkAsync("ecs", "update-service", "--cluster", Cluster, "--service", "keep", "--desired-count", "2");
        await Eventually.TrueAsync(async () => await RunningCountAsync(viaB) == 2, 60);
        var described = await viaB.OkAsync("ecs", "describe-tasks", "--cluster", Cluster, "--tasks", standalone, serviceTask);
        Assert.All(described.GetProperty("tasks").EnumerateArray(), t => Assert.Equal("RUNNING", t.GetProperty("lastStatus").GetString()));
        Assert.True(await ConnectedAsync(viaB));

        // The old leader comes back as a follower (at the addresses the agent was given); kill -9 of the agent's replica
        // sends the agent there.
        a = await StartAsync(GantryProcess.StartAsync("server", a.Home, a.DataDirectory, a.Endpoint.Port,
            extraArguments: [.. store, "--agent-listen", $"127.0.0.1:{a.AgentEndpoint.Port}"]));
        viaA = new AwsCli(a);
        await Eventually.TrueAsync(async () => (await StatusAsync(a)).GetProperty("replicas").EnumerateArray()
            .Any(r => r.GetProperty("replicaId").GetString() == aId && !r.GetProperty("stale").GetBoolean()), 30);
        var killed = Stopwatch.StartNew();
        await b.KillAsync();
        await Eventually.TrueAsync(async () => Agents(await StatusAsync(a), aId) == 1, 30);
        var failover = killed.Elapsed;
        await Eventually.TrueAsync(async () => Holder(await StatusAsync(a)) == aId, 30);
        var secondTakeover = Time((await StatusAsync(a)).GetProperty("lease").GetProperty("acquiredAt")) - (DateTimeOffset.UtcNow - killed.Elapsed);
        output.WriteLine($"replica {bId} killed: the agent's link names {aId} {failover.TotalSeconds:F1} s later (seen through the CLI); {aId} took the lease after {secondTakeover.TotalSeconds:F2} s");
        Assert.True(secondTakeover < TimeSpan.FromSeconds(10), $"second takeover took {secondTakeover}");
        Assert.True(await ConnectedAsync(viaA));
        // Work decided now reaches the agent through its new replica: stopping the standalone task.
        await viaA.OkAsync("ecs", "stop-task", "--cluster", Cluster, "--task", standalone, "--reason", "after the failover");
        await viaA.OkAsync("ecs", "wait", "tasks-stopped", "--cluster", Cluster, "--tasks", standalone);
        var kept = await viaA.OkAsync("ecs", "describe-tasks", "--cluster", Cluster, "--tasks", serviceTask);
        Assert.Equal("RUNNING", kept.GetProperty("tasks")[0].GetProperty("lastStatus").GetString());
        Assert.Contains("Failing over to", agent.Output, StringComparison.Ordinal);
    }

    private async Task<GantryProcess> StartAsync(Task<GantryProcess> starting)
    {
        var process = await starting;
        _processes.Add(process);
        return process;
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

    private static async Task<bool> ConnectedAsync(AwsCli aws)
    {
        var arns = (await aws.OkAsync("ecs", "list-container-instances", "--cluster", Cluster)).GetProperty("containerInstanceArns");
        if (arns.GetArrayLength() != 1)
        {
            return false;
        }
        var instance = (await aws.OkAsync("ecs", "describe-container-instances", "--cluster", Cluster, "--container-instances", arns[0].GetString()!))
            .GetProperty("containerInstances")[0];
        return instance.GetProperty("agentConnected").GetBoolean();
    }

    private static async Task<int> RunningCountAsync(AwsCli aws) =>
        (await aws.OkAsync("ecs", "describe-services", "--cluster", Cluster, "--services", "keep")).GetProperty("services")[0].GetProperty("runningCount").GetInt32();
}
