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
        using var established = await ConnectSendingAsync(listen, "before ", timeout.Token);

        await set.ApplyAsync(LoadBalancingSnapshot.Empty, default);

        await Assert.ThrowsAsync<SocketException>(() => TcpClientCalls.ExchangeAsync(listen, "new"));
        await established.SendAsync(Encoding.ASCII.GetBytes("after"), SocketFlags.None, timeout.Token);
        established.Shutdown(SocketShutdown.Send);
        Assert.Equal("a:before after", await TcpClientCalls.ReadToEndAsync(established, timeout.Token));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task A_target_leaving_the_group_has_its_connections_cut_only_with_connection_termination(string termination, bool cut)
    {
        await using var a = new EchoServer("a");
        TargetGroupAttribute[] attributes = [new() { Key = "deregistration_delay.connection_termination.enabled", Value = termination }];
        var (snapshot, listen) = Snapshot(attributes, a.Endpoint);
        await using var set = NewSet();
        await set.ApplyAsync(snapshot, default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var established = await ConnectSendingAsync(listen, "before ", timeout.Token);

        // The sweeper removed the target at the end of its deregistration delay.
        var group = snapshot.TargetGroups.Values.Single();
        var emptied = new TargetGroupView(group.Record with { Targets = [] }, []);
        await set.ApplyAsync(snapshot with { TargetGroups = new Dictionary<string, TargetGroupView> { [group.Arn] = emptied } }, default);

        if (cut)
        {
            var buffer = new byte[16];
            var ended = await Record.ExceptionAsync(async () => Assert.Equal(0, await established.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)));
            Assert.True(ended is null or SocketException, $"{ended}");
            return;
        }
        await established.SendAsync(Encoding.ASCII.GetBytes("after"), SocketFlags.None, timeout.Token);
        established.Shutdown(SocketShutdown.Send);
        Assert.Equal("a:before after", await TcpClientCalls.ReadToEndAsync(established, timeout.Token));
    }

    [Fact]
    public async Task With_proxy_protocol_v2_the_target_reads_the_clients_address_first()
    {
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        TargetGroupAttribute[] attributes = [new() { Key = "proxy_protocol_v2.enabled", Value = "true" }];
        var (snapshot, listen) = Snapshot(attributes, (IPEndPoint)target.LocalEndpoint);
        await using var set = NewSet();
        await set.ApplyAsync(snapshot, default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listen, timeout.Token);
        await client.SendAsync(Encoding.ASCII.GetBytes("hi"), SocketFlags.None, timeout.Token);
        client.Shutdown(SocketShutdown.Send);

        using var accepted = await target.AcceptSocketAsync(timeout.Token);
        var received = new List<byte>();
        var buffer = new byte[256];
        int read;
        while ((read = await accepted.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, read));
        }

        var expected = ProxyProtocolV2.Header((IPEndPoint)client.LocalEndPoint!, listen);
        Assert.Equal([.. expected, .. "hi"u8.ToArray()], received);
    }

    [Fact]
    public void The_proxy_protocol_v2_header_is_haproxys_binary_format()
    {
        var header = ProxyProtocolV2.Header(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 51000), new IPEndPoint(IPAddress.Parse("127.0.100.1"), 80));

        byte[] expected =
        [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, // signature
            0x21, 0x11, 0x00, 0x0C, // v2 PROXY, TCP over IPv4, 12 bytes of addresses
            10, 1, 2, 3, 127, 0, 100, 1, 0xC7, 0x38, 0x00, 0x50,
        ];
        Assert.Equal(expected, header);
    }

    /// <summary>A connection through <paramref name="listen"/> that has sent <paramref name="first"/> and stays open.</summary>
    private static async Task<Socket> ConnectSendingAsync(IPEndPoint listen, string first, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(listen, ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes(first), SocketFlags.None, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
