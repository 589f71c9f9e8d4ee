using System.Buffers.Binary;

namespace Gantry.Dns.Wire;

/// <summary>What to do with a datagram or TCP message, after <see cref="DnsQuery.Parse"/>.</summary>
internal enum DnsQueryStatus
{
    /// <summary>A well-formed standard query with one question.</summary>
    Ok,

    /// <summary>Not even a header, or a response: nothing is answered.</summary>
    Drop,

    /// <summary>A header but a malformed body, or not exactly one question.</summary>
    FormErr,

    /// <summary>An opcode other than QUERY.</summary>
    NotImp,

    /// <summary>An OPT record with an EDNS version above 0.</summary>
    BadVers,
}

/// <summary>
/// A parsed query: its header, its single question (the name as sent, case kept, in a caller's buffer) and its EDNS
/// OPT record. Parsing allocates nothing.
/// </summary>
internal readonly struct DnsQuery
{
    public ushort Id { get; init; }

    public ushort Flags { get; init; }

    /// <summary>The question's name, uncompressed, in the buffer given to <see cref="Parse"/>.</summary>
    public int NameLength { get; init; }

    public ushort Type { get; init; }

    public ushort Class { get; init; }

    /// <summary>Where the question section ends in the query.</summary>
    public int QuestionEnd { get; init; }

    public bool HasEdns { get; init; }

    public ushort UdpPayload { get; init; }

    public bool DnssecOk { get; init; }

    public int Opcode => (Flags & DnsWire.OpcodeMask) >> DnsWire.OpcodeShift;

    /// <summary>The largest UDP answer allowed: the client's EDNS payload size (512 at least, at most 4096), else 512.</summary>
    public int UdpLimit => HasEdns ? Math.Clamp((int)UdpPayload, DnsWire.MaxUdpWithoutEdns, DnsWire.MaxUdpPayload) : DnsWire.MaxUdpWithoutEdns;

    public static DnsQueryStatus Parse(ReadOnlySpan<byte> message, Span<byte> name, out DnsQuery query)
    {
        query = default;
        if (message.Length < DnsWire.HeaderLength)
        {
            return DnsQueryStatus.Drop;
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.FlagsOffset..]);
        query = new DnsQuery { Id = id, Flags = flags };
        if ((flags & DnsWire.FlagQr) != 0)
        {
            return DnsQueryStatus.Drop;
        }
        if (query.Opcode != 0)
        {
            return DnsQueryStatus.NotImp;
        }
        var qdCount = BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.QdCountOffset..]);
        if (qdCount != 1)
        {
            return DnsQueryStatus.FormErr;
        }
        if (!DnsName.TryRead(message, DnsWire.HeaderLength, name, out var nameLength, out var position) || position + 4 > message.Length)
        {
            return DnsQueryStatus.FormErr;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
        position += 4;
        query = query with { NameLength = nameLength, Type = type, Class = @class, QuestionEnd = position };

        // Answer and authority records are skipped; the additional section is searched for one OPT (RFC 6891).
        var records = BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.AnCountOffset..])
            + BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.NsCountOffset..]);
        var additional = BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.ArCountOffset..]);
        Span<byte> scratch = stackalloc byte[DnsName.MaxLength];
        var hasEdns = false;
        for (var i = 0; i < records + additional; i++)
        {
            if (!DnsName.TryRead(message, position, scratch, out var ownerLength, out position) || position + 10 > message.Length)
            {
                return DnsQueryStatus.FormErr;
            }
            var recordType = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            var recordClass = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
            var dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 8)..]);
            position += 10 + dataLength;
            if (position > message.Length)
            {
                return DnsQueryStatus.FormErr;
            }
            if (i >= records && recordType == (ushort)DnsRecordType.Opt)
            {
                if (hasEdns || ownerLength != 1)
                {
                    return DnsQueryStatus.FormErr;
                }
                hasEdns = true;
                query = query with { HasEdns = true, UdpPayload = recordClass, DnssecOk = (ttl & DnsWire.OptDoBit) != 0 };
                if (((ttl >> 16) & 0xFF) != 0)
                {
                    return DnsQueryStatus.BadVers;
                }
            }
        }
        return DnsQueryStatus.Ok;
    }
}
