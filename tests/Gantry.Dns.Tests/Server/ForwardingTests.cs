using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gantry.Dns.Server;
using Gantry.Dns.Tests.Tools;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Tests.Server;

public class ForwardingTests
{
    private static readonly DnsServerOptions Fast = new() { UpstreamTimeout = TimeSpan.FromMilliseconds(300) };

    [RequiresToolFact("dnsmasq")]
    public async Task A_name_outside_the_zones_is_forwarded_and_the_upstreams_answer_passed_through()
    {
        await using var dnsmasq = await Dnsmasq.StartAsync();
        await using var server = await TestServer.StartAsync(upstreams: [dnsmasq.Endpoint]);

        var answer = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(0xBEEF, "a.example.test", DnsRecordType.A, ednsPayload: 1232));

        var direct = await DnsClient.UdpAsync(dnsmasq.Endpoint, DnsMessage.Query(0xBEEF, "a.example.test", DnsRecordType.A, ednsPayload: 1232));
        Assert.Equal(0xBEEF, answer.Id);
        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.Equal(direct.Flags, answer.Flags); // dnsmasq's own flags (it says aa for --address names)
        Assert.Equal("192.0.2.7", Assert.Single(answer.Answers).Data);
        Assert.Equal("a.example.test", Assert.Single(answer.Questions).Name);

        var nx = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(2, "gone.nx.test", DnsRecordType.A));
        Assert.Equal((2, DnsRcode.NxDomain), (nx.Id, nx.Rcode));

        var refused = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(3, "unknown.zzz", DnsRecordType.A));
        Assert.Equal(DnsRcode.Refused, refused.Rcode);

        // The zones are still answered here, now saying recursion is available.
        var local = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(4, "web.app.local", DnsRecordType.A));
        Assert.True(local.HasFlag(DnsWire.FlagAa) && local.HasFlag(DnsWire.FlagRa));
    }

    [RequiresToolFact("dnsmasq")]
    public async Task A_TCP_query_is_forwarded_over_TCP()
    {
        await using var dnsmasq = await Dnsmasq.StartAsync();
        await using var server = await TestServer.StartAsync(upstreams: [dnsmasq.Endpoint]);

        var answers = await DnsClient.TcpAsync(server.Endpoint,
            DnsMessage.Query(7, "host.example.test", DnsRecordType.A),
            DnsMessage.Query(8, "x.nx.test", DnsRecordType.A),
            DnsMessage.Query(9, "web.app.local", DnsRecordType.A));

        Assert.Equal("192.0.2.8", Assert.Single(answers[0].Answers).Data);
        Assert.Equal((8, DnsRcode.NxDomain), (answers[1].Id, answers[1].Rcode));
        Assert.Equal(3, answers[2].Answers.Count);
    }

    [RequiresToolFact("dnsmasq")]
    public async Task An_upstream_that_does_not_answer_is_failed_over()
    {
        using var silent = BlackHole();
        await using var dnsmasq = await Dnsmasq.StartAsync();
        await using var server = await TestServer.StartAsync(upstreams: [(IPEndPoint)silent.LocalEndPoint!, dnsmasq.Endpoint], options: Fast);

        var answer = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(5, "a.example.test", DnsRecordType.A));

        Assert.Equal("192.0.2.7", Assert.Single(answer.Answers).Data);
    }

    [Fact]
    public async Task When_every_upstream_fails_the_answer_is_SERVFAIL()
    {
        using var silent = BlackHole();
        await using var server = await TestServer.StartAsync(upstreams: [(IPEndPoint)silent.LocalEndPoint!], options: Fast);

        var answer = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(6, "a.example.test", DnsRecordType.A, ednsPayload: 1232));

        Assert.Equal((6, DnsRcode.ServFail), (answer.Id, answer.Rcode));
        Assert.Equal("a.example.test", Assert.Single(answer.Questions).Name);
        Assert.Single(answer.Additional); // OPT
    }

    [Fact]
    public async Task Beyond_the_in_flight_bound_a_forward_is_SERVFAIL_at_once()
    {
        using var silent = BlackHole();
        var options = new DnsServerOptions { UpstreamTimeout = TimeSpan.FromSeconds(30), MaxInFlightForwards = 1 };
        await using var server = await TestServer.StartAsync(upstreams: [(IPEndPoint)silent.LocalEndPoint!], options: options);
        using var waiting = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        waiting.Bind(TestServer.Loopback);
        await waiting.SendToAsync(DnsMessage.Query(1, "first.example.test", DnsRecordType.A).Encode(), SocketFlags.None, server.Endpoint);
        await ReceiveQueryAsync(silent); // the first is in flight at the upstream

        var second = await DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(2, "second.example.test", DnsRecordType.A));

        Assert.Equal(DnsRcode.ServFail, second.Rcode);
    }

    [Fact]
    public async Task A_reply_with_another_id_or_question_is_dropped_and_the_matching_one_relayed()
    {
        using var upstream = BlackHole();
        await using var server = await TestServer.StartAsync(upstreams: [(IPEndPoint)upstream.LocalEndPoint!]);
        var client = DnsClient.UdpAsync(server.Endpoint, DnsMessage.Query(0x1111, "Mixed.Example.Test", DnsRecordType.A, ednsPayload: 1232));

        var (relayed, from) = await ReceiveQueryAsync(upstream);
        var query = DnsMessage.Parse(relayed);
        Assert.Equal("Mixed.Example.Test", Assert.Single(query.Questions).Name);
        Assert.Equal(relayed.AsSpan(2).ToArray(), DnsMessage.Query(0x1111, "Mixed.Example.Test", DnsRecordType.A, ednsPayload: 1232).Encode().AsSpan(2).ToArray());

        Task Reply(ushort id, string name, string address) => upstream.SendToAsync(new DnsMessage(id, DnsWire.FlagQr | DnsWire.FlagRd | DnsWire.FlagRa | (ushort)DnsRcode.NoError,
            [new DnsQuestion(name, 1, 1)], [new DnsResourceRecord(name, 1, 1, 5, address)], [], []).Encode(), SocketFlags.None, from);
        await Reply((ushort)(query.Id ^ 1), "Mixed.Example.Test", "198.51.100.1");
        await Reply(query.Id, "other.example.test", "198.51.100.2");
        await Reply(query.Id, "mixed.example.test", "198.51.100.3");

        var answer = await client;
        Assert.Equal(0x1111, answer.Id);
        Assert.Equal("198.51.100.3", Assert.Single(answer.Answers).Data);
        Assert.Empty(answer.Additional); // passed through as the upstream wrote it
    }

    /// <summary>A UDP socket on 127.0.0.1 that receives queries and answers none unless told to.</summary>
    private static Socket BlackHole()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(TestServer.Loopback);
        return socket;
    }

    private static async Task<(byte[] Query, EndPoint From)> ReceiveQueryAsync(Socket socket)
    {
        var buffer = new byte[65535];
        using var timeout = new CancellationTokenSource(DnsClient.Timeout);
        var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
        Assert.True(received.ReceivedBytes >= DnsWire.HeaderLength && (BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)) & DnsWire.FlagQr) == 0);
        return (buffer[..received.ReceivedBytes], received.RemoteEndPoint);
    }
}
