using System.Buffers.Binary;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Tests.Wire;

public class DnsCodecTests
{
    [Fact]
    public void A_message_round_trips_through_encode_and_parse_with_names_compressed()
    {
        var message = new DnsMessage(0x1234, DnsWire.FlagQr | DnsWire.FlagAa | DnsWire.FlagRd,
            [new DnsQuestion("web.app.local", (ushort)DnsRecordType.Srv, DnsWire.ClassIn)],
            [
                new DnsResourceRecord("web.app.local", (ushort)DnsRecordType.Srv, 1, 60, "1 10 8080 api-1.app.local"),
                new DnsResourceRecord("web.app.local", (ushort)DnsRecordType.Cname, 1, 60, "other.app.local"),
            ],
            [new DnsResourceRecord("app.local", (ushort)DnsRecordType.Soa, 1, 30, "ns1.app.local hostmaster.app.local 7 7200 900 1209600 30")],
            [
                new DnsResourceRecord("api-1.app.local", (ushort)DnsRecordType.A, 1, 60, "10.0.0.1"),
                new DnsResourceRecord("api-1.app.local", (ushort)DnsRecordType.Aaaa, 1, 60, "fd00::1"),
                new DnsResourceRecord("", (ushort)DnsRecordType.Opt, 1232, 0, ""),
            ]);

        var bytes = message.Encode();
        var parsed = DnsMessage.Parse(bytes);

        Assert.Equal(message.Id, parsed.Id);
        Assert.Equal(message.Flags, parsed.Flags);
        Assert.Equal(message.Questions, parsed.Questions);
        Assert.Equal(message.Answers, parsed.Answers);
        Assert.Equal(message.Authority, parsed.Authority);
        Assert.Equal(message.Additional, parsed.Additional);
        // "app.local" is written in the question and in the SRV target (never compressed, RFC 2782); every other name points.
        Assert.Equal(2, CountOccurrences(bytes, "\u0003app\u0005local"u8.ToArray()));
    }

    [Theory]
    [InlineData("web.app.local", "web.app.local")]
    [InlineData("Web.App.Local.", "web.app.local")]
    [InlineData("_http._tcp.api.app.local", "_http._tcp.api.app.local")]
    [InlineData("", ".")]
    public void A_name_encodes_lower_case_and_reads_back(string text, string expected)
    {
        var wire = DnsName.Encode(text);
        Assert.Equal(expected, DnsName.ToText(wire));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("has space.local")]
    [InlineData("x.1234567890123456789012345678901234567890123456789012345678901234.local")]
    public void An_invalid_name_is_rejected(string text) =>
        Assert.Throws<ArgumentException>(() => DnsName.Encode(text));

    [Fact]
    public void A_pointer_loop_or_forward_pointer_is_not_followed()
    {
        var loop = new byte[] { 0xC0, 0x00 };
        Assert.False(DnsName.TryRead(loop, 0, new byte[255], out _, out _));
        var forward = new byte[] { 0xC0, 0x02, 3, (byte)'a', (byte)'b', (byte)'c', 0 };
        Assert.False(DnsName.TryRead(forward, 0, new byte[255], out _, out _));
        var backward = new byte[] { 3, (byte)'a', (byte)'b', (byte)'c', 0, 1, (byte)'x', 0xC0, 0x00 };
        Assert.True(DnsName.TryRead(backward, 5, new byte[255], out var length, out var next));
        Assert.Equal(7, length);
        Assert.Equal(9, next);
    }

    [Fact]
    public void A_query_parses_its_question_and_edns()
    {
        var bytes = DnsMessage.Query(77, "Web.App.Local", DnsRecordType.A, ednsPayload: 4000).Encode();
        var name = new byte[255];

        Assert.Equal(DnsQueryStatus.Ok, DnsQuery.Parse(bytes, name, out var query));

        Assert.Equal(77, query.Id);
        Assert.Equal("Web.App.Local", DnsName.ToText(name.AsSpan(0, query.NameLength)));
        Assert.Equal((ushort)DnsRecordType.A, query.Type);
        Assert.True(query.HasEdns);
        Assert.Equal(4000, query.UdpLimit);
    }

    [Fact]
    public void A_query_is_classified_drop_formerr_notimp_or_badvers()
    {
        var name = new byte[255];
        var ok = DnsMessage.Query(1, "web.app.local", DnsRecordType.A).Encode();
        Assert.Equal(DnsQueryStatus.Drop, DnsQuery.Parse(ok.AsSpan(0, 11), name, out _));

        var response = (byte[])ok.Clone();
        response[2] |= 0x80;
        Assert.Equal(DnsQueryStatus.Drop, DnsQuery.Parse(response, name, out _));

        var notify = (byte[])ok.Clone();
        notify[2] |= 4 << 3;
        Assert.Equal(DnsQueryStatus.NotImp, DnsQuery.Parse(notify, name, out _));

        var twoQuestions = (byte[])ok.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(twoQuestions.AsSpan(4), 2);
        Assert.Equal(DnsQueryStatus.FormErr, DnsQuery.Parse(twoQuestions, name, out _));

        Assert.Equal(DnsQueryStatus.FormErr, DnsQuery.Parse(ok.AsSpan(0, ok.Length - 2), name, out _));

        var version1 = new DnsMessage(1, 0, [new DnsQuestion("web.app.local", 1, 1)], [], [], [new DnsResourceRecord("", 41, 1232, 0x00010000, "")]).Encode();
        Assert.Equal(DnsQueryStatus.BadVers, DnsQuery.Parse(version1, name, out _));
    }

    private static int CountOccurrences(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var i = haystack.AsSpan().IndexOf(needle); i >= 0; i = haystack.AsSpan(i + 1).IndexOf(needle) is var j and >= 0 ? i + 1 + j : -1)
        {
            count++;
        }
        return count;
    }
}
