using System.Buffers.Binary;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Tests.Server;

public sealed class TransportTests : IAsyncLifetime
{
    private DnsServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_answer_too_big_for_512_bytes_is_truncated_to_whole_records_over_UDP_and_whole_over_TCP()
    {
        var udp = await DnsClient.UdpAsync(_server.Endpoint, DnsMessage.Query(1, "_big._tcp.app.local", DnsRecordType.Srv));
        Assert.True(udp.HasFlag(DnsWire.FlagTc));
        Assert.InRange(udp.Answers.Count, 1, 7);
        Assert.Empty(udp.Additional);

        var big = await DnsClient.UdpAsync(_server.Endpoint, DnsMessage.Query(2, "_big._tcp.app.local", DnsRecordType.Srv, ednsPayload: 1232));
        Assert.False(big.HasFlag(DnsWire.FlagTc));
        Assert.Equal(8, big.Answers.Count);

        var tcp = Assert.Single(await DnsClient.TcpAsync(_server.Endpoint, DnsMessage.Query(3, "_big._tcp.app.local", DnsRecordType.Srv)));
        Assert.False(tcp.HasFlag(DnsWire.FlagTc));
        Assert.Equal(8, tcp.Answers.Count);
    }

    [Fact]
    public async Task A_TCP_connection_carries_several_queries()
    {
        var answers = await DnsClient.TcpAsync(_server.Endpoint,
            DnsMessage.Query(10, "web.app.local", DnsRecordType.A),
            DnsMessage.Query(11, "nope.app.local", DnsRecordType.A),
            DnsMessage.Query(12, "app.local", DnsRecordType.Soa));

        Assert.Equal([(10, DnsRcode.NoError), (11, DnsRcode.NxDomain), (12, DnsRcode.NoError)], answers.Select(a => ((int)a.Id, a.Rcode)));
    }

    [Fact]
    public async Task A_malformed_query_with_a_header_gets_FORMERR_and_another_opcode_NOTIMP()
    {
        var query = DnsMessage.Query(0x2222, "web.app.local", DnsRecordType.A).Encode();
        var cut = DnsMessage.Parse(await DnsClient.UdpRawAsync(_server.Endpoint, query[..15]));
        Assert.Equal((0x2222, DnsRcode.FormErr), (cut.Id, cut.Rcode));
        Assert.True(cut.HasFlag(DnsWire.FlagQr));

        var twoQuestions = (byte[])query.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(twoQuestions.AsSpan(4), 2);
        Assert.Equal(DnsRcode.FormErr, DnsMessage.Parse(await DnsClient.UdpRawAsync(_server.Endpoint, twoQuestions)).Rcode);

        var status = (byte[])query.Clone();
        status[2] |= 2 << 3;
        Assert.Equal(DnsRcode.NotImp, DnsMessage.Parse(await DnsClient.UdpRawAsync(_server.Endpoint, status)).Rcode);
    }

    [Fact]
    public async Task Less_than_a_header_or_a_response_is_not_answered()
    {
        Assert.Equal(-1, await DnsClient.UdpUnansweredAsync(_server.Endpoint, [1, 2, 3], TimeSpan.FromMilliseconds(200)));
        var response = DnsMessage.Query(1, "web.app.local", DnsRecordType.A).Encode();
        response[2] |= 0x80;
        Assert.Equal(-1, await DnsClient.UdpUnansweredAsync(_server.Endpoint, response, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Random_bytes_never_stop_the_listener()
    {
        var random = new Random(20240601);
        var valid = DnsMessage.Query(5, "web.app.local", DnsRecordType.A, ednsPayload: 1232).Encode();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Bind(TestServer.Loopback);
        for (var i = 0; i < 3000; i++)
        {
            byte[] datagram;
            if (i % 2 == 0)
            {
                datagram = new byte[random.Next(0, 600)];
                random.NextBytes(datagram);
                if (datagram.Length > 2)
                {
                    datagram[2] &= 0x07; // mostly queries with opcode 0, so parsing goes deep
                }
            }
            else
            {
                // A valid query with a few bytes flipped or cut short.
                datagram = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    datagram[random.Next(2, datagram.Length)] = (byte)random.Next(256);
                }
                datagram = datagram[..random.Next(DnsWire.HeaderLength, datagram.Length + 1)];
            }
            if (datagram.Length > 0)
            {
                datagram[0] &= 0x7F; // IDs below 32768: the probes' are above
            }
            await socket.SendToAsync(datagram, System.Net.Sockets.SocketFlags.None, _server.Endpoint);
            if (i % 100 == 99)
            {
                // Paced, so the socket's queue never overflows (UDP would drop the probe): the server still answers.
                await ProbeAsync(socket, (ushort)(60000 + (i / 100)));
            }
        }

        var after = await DnsClient.UdpAsync(_server.Endpoint, DnsMessage.Query(6, "web.app.local", DnsRecordType.A));
        Assert.Equal(3, after.Answers.Count);
        var tcp = await DnsClient.TcpAsync(_server.Endpoint, DnsMessage.Query(7, "web.app.local", DnsRecordType.A));
        Assert.Equal(3, tcp[0].Answers.Count);
    }

    private async Task ProbeAsync(System.Net.Sockets.Socket socket, ushort id)
    {
        var probe = DnsMessage.Query(id, "web.app.local", DnsRecordType.A).Encode();
        await socket.SendToAsync(probe, System.Net.Sockets.SocketFlags.None, _server.Endpoint);
        using var timeout = new CancellationTokenSource(DnsClient.Timeout);
        var buffer = new byte[65535];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            if (received >= DnsWire.HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id && (buffer[2] & 0x80) != 0)
            {
                Assert.Equal(3, DnsMessage.Parse(buffer.AsSpan(0, received)).Answers.Count);
                return;
            }
        }
    }

    [Fact]
    public void Every_answer_to_random_queries_parses_and_echoes_the_id()
    {
        var responder = new Gantry.Dns.Authority.DnsResponder(hasUpstreams: false);
        responder.Update(Gantry.Dns.Authority.CompiledCatalog.Compile(TestCatalog.Create()));
        var random = new Random(7);
        var names = new[] { "web.app.local", "many.app.local", "alias.app.local", "_big._tcp.app.local", "c.app.local", "x.app.local", "app.local", "WEB.app.LOCAL", "elsewhere" };
        var types = new[] { DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Srv, DnsRecordType.Cname, DnsRecordType.Soa, DnsRecordType.Ns, DnsRecordType.Any, (DnsRecordType)99 };
        var response = new byte[DnsWire.MaxMessage];
        for (var i = 0; i < 2000; i++)
        {
            var id = (ushort)random.Next(65536);
            ushort? edns = random.Next(3) == 0 ? null : (ushort)random.Next(0, 5000);
            var query = DnsMessage.Query(id, names[random.Next(names.Length)], types[random.Next(types.Length)], edns).Encode();
            var tcp = random.Next(4) == 0;
            Assert.Equal(Gantry.Dns.Authority.QueryOutcome.Answer, responder.Respond(query, response, tcp, out var length));
            var limit = tcp ? DnsWire.MaxMessage : edns is { } payload ? Math.Clamp((int)payload, 512, DnsWire.MaxUdpPayload) : 512;
            Assert.InRange(length, DnsWire.HeaderLength, limit);
            var parsed = DnsMessage.Parse(response.AsSpan(0, length));
            Assert.Equal(id, parsed.Id);
            Assert.Equal(edns is not null, parsed.Additional.Any(r => r.Type == (ushort)DnsRecordType.Opt));
        }
    }
}
