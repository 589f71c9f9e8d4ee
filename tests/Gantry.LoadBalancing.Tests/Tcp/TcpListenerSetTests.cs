using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.State;
using Gantry.LoadBalancing.Tcp;
using Gantry.LoadBalancing.Tests.Health;
using Gantry.LoadBalancing.Tests.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.LoadBalancing.Tests.Tcp;

public sealed class TcpListenerSetTests
{
    private readonly RecordingHealth _health = new();

    [Fact]
    public async Task Forwards_both_ways_with_half_close_and_spreads_connections_round_robin()
    {
        await using var a = new EchoServer("a");
        await using var b = new EchoServer("b");
        var (snapshot, listen) = Snapshot([], a.Endpoint, b.Endpoint);
        await using var set = NewSet();

        await set.ApplyAsync(snapshot, default);

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await TcpClientCalls.ExchangeAsync(listen, $"hello {i}"));
        }
        Assert.All(answers, (answer, i) => Assert.EndsWith($":hello {i}", answer, StringComparison.Ordinal));
        Assert.Equal(2, answers.Count(x => x.StartsWith("a:", StringComparison.Ordinal)));
        Assert.Equal(2, answers.Count(x => x.StartsWith("b:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Source_ip_stickiness_sends_a_client_to_the_same_target()
    {
        await using var a = new EchoServer("a");
        await using var b = new EchoServer("b");
        TargetGroupAttribute[] sticky = [new() { Key = "stickiness.enabled", Value = "true" }, new() { Key = "stickiness.type", Value = "source_ip" }];
        var (snapshot, listen) = Snapshot(sticky, a.Endpoint, b.Endpoint);
        await using var set = NewSet();
        await set.ApplyAsync(snapshot, default);

        var servers = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            servers.Add((await TcpClientCalls.ExchangeAsync(listen, "x"))[..1]);
        }

        Assert.Single(servers);
    }

    [Fact]
    public async Task A_target_that_refuses_is_reported_and_the_next_one_takes_the_connection()
    {
        await using var b = new EchoServer("b");
        var closed = StubHttpServer.ClosedEndpoint();
        var (snapshot, listen) = Snapshot([], closed, b.Endpoint);
        await using var set = NewSet();
        await set.ApplyAsync(snapshot, default);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("b:ping", await TcpClientCalls.ExchangeAsync(listen, "ping"));
        }

        Assert.Contains(new TargetKey("127.0.0.1", closed.Port), _health.Failures);
    }

    [Fact]
    public async Task A_closed_listener_refuses_new_connections_while_established_ones_continue()
    {
        await using var a = new EchoServer("a");
        var (snapshot, listen) = Snapshot([], a.Endpoint);
        await using var set = NewSet();
        await set.ApplyAsync(snapshot, default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var established = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await established.ConnectAsync(listen, timeout.Token);
        await established.SendAsync(Encoding.ASCII.GetBytes("before "), SocketFlags.None, timeout.Token);

        await set.ApplyAsync(LoadBalancingSnapshot.Empty, default);

        await Assert.ThrowsAsync<SocketException>(() => TcpClientCalls.ExchangeAsync(listen, "new"));
        await established.SendAsync(Encoding.ASCII.GetBytes("after"), SocketFlags.None, timeout.Token);
        established.Shutdown(SocketShutdown.Send);
        Assert.Equal("a:before after", await TcpClientCalls.ReadToEndAsync(established, timeout.Token));
    }

    private TcpListenerSet NewSet() => new(_health, TimeProvider.System, NullLogger<TcpListenerSet>.Instance);

    private static (LoadBalancingSnapshot Snapshot, IPEndPoint Listen) Snapshot(IReadOnlyList<TargetGroupAttribute> attributes, params IPEndPoint[] targets)
    {
        var listen = StubHttpServer.ClosedEndpoint();
        var record = ElbFixtures.Group("tcp", "ip", [.. targets.Select(t => ElbFixtures.Target("127.0.0.1", t.Port))], attributes, g => g with { Protocol = "TCP" });
        var group = new TargetGroupView(record, [.. targets.Select(t => new TargetView(new TargetKey("127.0.0.1", t.Port), t, ElbFixtures.Registered, null))]);
        var listener = ElbFixtures.Listener("nlb", "l1", listen.Port, "TCP", group.Arn, type: "net");
        var balancer = new BalancerView(ElbFixtures.Balancer("nlb", "127.0.0.1", "network"), IPAddress.Loopback, [new ListenerView(listener, [], null)]);
        return (new LoadBalancingSnapshot(1, [balancer], new Dictionary<string, TargetGroupView> { [group.Arn] = group }), listen);
    }

    private sealed class RecordingHealth : ITargetHealth
    {
        public ConcurrentBag<TargetKey> Failures { get; } = [];

        public TargetRoute RouteOf(TargetGroupView group, TargetView target) => TargetRoute.Full;

        public void ReportFailure(TargetGroupView group, TargetView target) => Failures.Add(target.Key);
    }
}
