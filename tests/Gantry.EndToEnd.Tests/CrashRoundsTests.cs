using System.Collections.Concurrent;
using System.Diagnostics;
using Gantry.EndToEnd.Tests.Infrastructure;

namespace Gantry.EndToEnd.Tests;

/// <summary>
/// Bounded kill -9 rounds (issue 12): concurrent writers against a real `gantry server`, SIGKILL mid-stream, restart on
/// the same data directory, and every acknowledged write is there exactly once — no lost, no doubled, revisions contiguous.
/// </summary>
public sealed class CrashRoundsTests
{
    private const int Rounds = 3;
    private static readonly TimeSpan TestBound = TimeSpan.FromSeconds(90);

    private sealed class Acknowledged
    {
        public ConcurrentBag<int> Revisions { get; } = [];
        public ConcurrentBag<string> Clusters { get; } = [];
        public ConcurrentQueue<string> Events { get; } = new();
    }

    [Fact]
    public async Task Acknowledged_writes_of_concurrent_writers_survive_repeated_kill_9_exactly_once()
    {
        using var bound = new CancellationTokenSource(TestBound);
        var ct = bound.Token;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var home = Directory.CreateTempSubdirectory("gantry-crash-").FullName;
        var data = Path.Combine(home, ".gantry");
        var acknowledged = new Acknowledged();
        var clock = Stopwatch.StartNew();

        for (var round = 0; round < Rounds; round++)
        {
            await using var server = await GantryProcess.StartAsync("server", home, data);
            var client = await SignedClient.ForAsync(http, server);
            if (round > 0)
            {
                await VerifyAsync(client, acknowledged, ct);
            }
            else
            {
                await client.CallAsync(SignedClient.Logs + "CreateLogGroup", new { logGroupName = "/crash" }, ct);
                await client.CallAsync(SignedClient.Logs + "CreateLogStream", new { logGroupName = "/crash", logStreamName = "s" }, ct);
            }
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writers = new[]
            {
                WriteTaskDefinitionsAsync(client, acknowledged, stop.Token),
                WriteTaskDefinitionsAsync(client, acknowledged, stop.Token),
                WriteClustersAsync(client, acknowledged, round, stop.Token),
                WriteLogEventsAsync(client, acknowledged, round, stop.Token),
            };
            var before = acknowledged.Revisions.Count + acknowledged.Clusters.Count + acknowledged.Events.Count;
            await Eventually.TrueAsync(() => Task.FromResult(acknowledged.Revisions.Count + acknowledged.Clusters.Count + acknowledged.Events.Count >= before + 40), 30);
            await server.KillAsync(); // mid-stream: writers have requests in flight
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30), ct);
        }

        await using (var last = await GantryProcess.StartAsync("server", home, data))
        {
            await VerifyAsync(await SignedClient.ForAsync(http, last), acknowledged, ct);
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{Rounds} rounds took {clock.Elapsed}");
        Directory.Delete(home, recursive: true);
    }

    private static async Task WriteTaskDefinitionsAsync(SignedClient client, Acknowledged acknowledged, CancellationToken ct)
    {
        await UntilFailureAsync(async () =>
        {
            var registered = await client.CallAsync(SignedClient.Ecs + "RegisterTaskDefinition", new
            {
                family = "crash",
                containerDefinitions = new[] { new { name = "app", image = "busybox", memory = 32 } },
            }, ct);
            acknowledged.Revisions.Add(registered.GetProperty("taskDefinition").GetProperty("revision").GetInt32());
        }, ct);
    }

    private static async Task WriteClustersAsync(SignedClient client, Acknowledged acknowledged, int round, CancellationToken ct)
    {
        var i = 0;
        await UntilFailureAsync(async () =>
        {
            var name = $"crash-{round}-{i++}";
            var created = await client.CallAsync(SignedClient.Ecs + "CreateCluster", new { clusterName = name }, ct);
            await client.CallAsync(SignedClient.Ecs + "TagResource", new
            {
                resourceArn = created.GetProperty("cluster").GetProperty("clusterArn").GetString(),
                tags = new[] { new { key = "round", value = name } },
            }, ct);
            acknowledged.Clusters.Add(name);
        }, ct);
    }

    private static async Task WriteLogEventsAsync(SignedClient client, Acknowledged acknowledged, int round, CancellationToken ct)
    {
        var i = 0;
        await UntilFailureAsync(async () =>
        {
            var message = $"r{round}-e{i++}";
            await client.CallAsync(SignedClient.Logs + "PutLogEvents", new
            {
                logGroupName = "/crash",
                logStreamName = "s",
                logEvents = new[] { new { timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), message } },
            }, ct);
            acknowledged.Events.Enqueue(message);
        }, ct);
    }

    /// <summary>Repeats <paramref name="write"/> until the server is gone (the kill) or the round is stopped.</summary>
    private static async Task UntilFailureAsync(Func<Task> write, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await write();
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
        }
    }

    private static async Task VerifyAsync(SignedClient client, Acknowledged acknowledged, CancellationToken ct)
    {
        // Task definitions: revisions 1..N, none twice, every acknowledged one among them (N may include one unacknowledged write per writer).
        var revisions = new List<int>();
        string? token = null;
        do
        {
            var page = await client.CallAsync(SignedClient.Ecs + "ListTaskDefinitions", new { familyPrefix = "crash", nextToken = token }, ct);
            revisions.AddRange(page.GetProperty("taskDefinitionArns").EnumerateArray().Select(a => int.Parse(a.GetString()!.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture)));
            token = page.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(1, revisions.Count), revisions.Order());
        Assert.All(acknowledged.Revisions, r => Assert.Contains(r, revisions));
        Assert.Equal(acknowledged.Revisions.Count, acknowledged.Revisions.Distinct().Count());

        // Clusters: every acknowledged one exists with its tag.
        foreach (var chunk in acknowledged.Clusters.Chunk(100))
        {
            var described = await client.CallAsync(SignedClient.Ecs + "DescribeClusters", new { clusters = chunk, include = new[] { "TAGS" } }, ct);
            var found = described.GetProperty("clusters").EnumerateArray()
                .ToDictionary(c => c.GetProperty("clusterName").GetString()!, c => c.GetProperty("tags").EnumerateArray().Single().GetProperty("value").GetString());
            Assert.All(chunk, name => Assert.Equal(name, found.GetValueOrDefault(name)));
        }

        // Log events: every acknowledged message exactly once, in the order acknowledged.
        var messages = new List<string>();
        string? forward = null;
        while (true)
        {
            var page = await client.CallAsync(SignedClient.Logs + "GetLogEvents", new { logGroupName = "/crash", logStreamName = "s", startFromHead = true, nextToken = forward }, ct);
            var events = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
            messages.AddRange(events);
            var next = page.GetProperty("nextForwardToken").GetString();
            if (events.Count == 0 || next == forward)
            {
                break;
            }
            forward = next;
        }
        Assert.Equal(messages.Count, messages.Distinct().Count());
        var acknowledgedEvents = acknowledged.Events.ToList();
        Assert.Equal(acknowledgedEvents, messages.Where(acknowledgedEvents.Contains));
    }
}
