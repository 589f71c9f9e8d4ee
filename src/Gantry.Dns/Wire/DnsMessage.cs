using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gantry.Dns.Wire;

/// <summary>
/// A whole DNS message, decoded into objects: for tests, tools and the load generator, not the server's query path
/// (which works on spans, see <see cref="DnsQuery"/> and <see cref="DnsWriter"/>).
/// </summary>
internal sealed record DnsMessage(
    ushort Id,
    ushort Flags,
    IReadOnlyList<DnsQuestion> Questions,
    IReadOnlyList<DnsResourceRecord> Answers,
    IReadOnlyList<DnsResourceRecord> Authority,
    IReadOnlyList<DnsResourceRecord> Additional)
{
    public DnsRcode Rcode => (DnsRcode)(Flags & DnsWire.RcodeMask);

    public bool HasFlag(ushort flag) => (Flags & flag) != 0;

    /// <summary>A query for one name and type, with an OPT record advertising <paramref name="ednsPayload"/> unless null.</summary>
    public static DnsMessage Query(ushort id, string name, DnsRecordType type, ushort? ednsPayload = null, bool recursionDesired = true) =>
        new(id, recursionDesired ? DnsWire.FlagRd : (ushort)0, [new DnsQuestion(name, (ushort)type, DnsWire.ClassIn)], [], [],
            ednsPayload is { } payload ? [new DnsResourceRecord("", (ushort)DnsRecordType.Opt, payload, 0, "")] : []);

    public byte[] Encode()
    {
        var buffer = new byte[DnsWire.MaxMessage];
        Span<ushort> labels = stackalloc ushort[256];
        var writer = new DnsWriter(buffer, buffer.Length, labels);
        writer.WriteHeader(Id, Flags);
        foreach (var question in Questions)
        {
            // Case is kept: a question is echoed as asked.
            WriteName(ref writer, question.Name, keepCase: true);
            Check(writer.TryWriteUInt16(question.Type) && writer.TryWriteUInt16(question.Class));
        }
        foreach (var record in Answers.Concat(Authority).Concat(Additional))
        {
            WriteRecord(ref writer, record);
        }
        writer.SetCount(DnsWire.QdCountOffset, Questions.Count);
        writer.SetCount(DnsWire.AnCountOffset, Answers.Count);
        writer.SetCount(DnsWire.NsCountOffset, Authority.Count);
        writer.SetCount(DnsWire.ArCountOffset, Additional.Count);
        return writer.Written.ToArray();
    }

    public static DnsMessage Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < DnsWire.HeaderLength)
        {
            throw new FormatException("A DNS message has a 12-byte header.");
        }
        var position = DnsWire.HeaderLength;
        Span<byte> name = stackalloc byte[DnsName.MaxLength];
        var questions = new List<DnsQuestion>();
        for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.QdCountOffset..]); i++)
        {
            var length = ReadName(message, ref position, name);
            questions.Add(new DnsQuestion(DnsName.ToText(name[..length]), ReadUInt16(message, position), ReadUInt16(message, position + 2)));
            position += 4;
        }
        var sections = new List<DnsResourceRecord>[3];
        for (var s = 0; s < 3; s++)
        {
            sections[s] = [];
            for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(message[(DnsWire.AnCountOffset + (2 * s))..]); i++)
            {
                sections[s].Add(ReadRecord(message, ref position, name));
            }
        }
        return new DnsMessage(
            BinaryPrimitives.ReadUInt16BigEndian(message),
            BinaryPrimitives.ReadUInt16BigEndian(message[DnsWire.FlagsOffset..]),
            questions, sections[0], sections[1], sections[2]);
    }

    private static DnsResourceRecord ReadRecord(ReadOnlySpan<byte> message, ref int position, Span<byte> name)
    {
        var length = ReadName(message, ref position, name);
        var owner = DnsName.ToText(name[..length]);
        var type = ReadUInt16(message, position);
        var @class = ReadUInt16(message, position + 2);
        var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(position + 4)..]);
        var dataLength = ReadUInt16(message, position + 8);
        position += 10;
        var end = position + dataLength;
        if (end > message.Length)
        {
            throw new FormatException("A record's data runs past the message.");
        }
        var data = ReadData(message, position, end, (DnsRecordType)type, name);
        position = end;
        return new DnsResourceRecord(owner == "." ? "" : owner, type, @class, ttl, data);
    }

    private static string ReadData(ReadOnlySpan<byte> message, int position, int end, DnsRecordType type, Span<byte> name)
    {
        var data = message[position..end];
        switch (type)
        {
            case DnsRecordType.A when data.Length == 4:
            case DnsRecordType.Aaaa when data.Length == 16:
                return new IPAddress(data).ToString();
            case DnsRecordType.Cname or DnsRecordType.Ns:
                return DnsName.ToText(name[..ReadName(message, ref position, name)]);
            case DnsRecordType.Srv when data.Length > 6:
                var srv = $"{ReadUInt16(message, position)} {ReadUInt16(message, position + 2)} {ReadUInt16(message, position + 4)}";
                position += 6;
                return $"{srv} {DnsName.ToText(name[..ReadName(message, ref position, name)])}";
            case DnsRecordType.Soa:
                var mname = DnsName.ToText(name[..ReadName(message, ref position, name)]);
                var rname = DnsName.ToText(name[..ReadName(message, ref position, name)]);
                var numbers = new uint[5];
                for (var i = 0; i < 5; i++)
                {
                    numbers[i] = BinaryPrimitives.ReadUInt32BigEndian(message[(position + (4 * i))..]);
                }
                return $"{mname} {rname} {string.Join(' ', numbers)}";
            default:
                return data.IsEmpty ? "" : @"\# " + Convert.ToHexStringLower(data);
        }
    }

    private static void WriteRecord(ref DnsWriter writer, DnsResourceRecord record)
    {
        WriteName(ref writer, record.Name, keepCase: false);
        Check(writer.TryWriteUInt16(record.Type) && writer.TryWriteUInt16(record.Class) && writer.TryWriteUInt32(record.Ttl));
        var lengthAt = writer.Position;
        Check(writer.TryWriteUInt16(0));
        var parts = record.Data.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch ((DnsRecordType)record.Type)
        {
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                var address = IPAddress.Parse(record.Data);
                Check(address.AddressFamily == (record.Type == (ushort)DnsRecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6));
                Check(writer.TryWriteBytes(address.GetAddressBytes()));
                break;
            case DnsRecordType.Cname or DnsRecordType.Ns:
                WriteName(ref writer, record.Data, keepCase: false);
                break;
            case DnsRecordType.Srv:
                Check(writer.TryWriteUInt16(ushort.Parse(parts[0], CultureInfo.InvariantCulture))
                    && writer.TryWriteUInt16(ushort.Parse(parts[1], CultureInfo.InvariantCulture))
                    && writer.TryWriteUInt16(ushort.Parse(parts[2], CultureInfo.InvariantCulture))
                    && writer.TryWriteBytes(DnsName.Encode(parts[3])));
                break;
            case DnsRecordType.Soa:
                WriteName(ref writer, parts[0], keepCase: false);
                WriteName(ref writer, parts[1], keepCase: false);
                foreach (var number in parts[2..7])
                {
                    Check(writer.TryWriteUInt32(uint.Parse(number, CultureInfo.InvariantCulture)));
                }
                break;
            default:
                if (parts.Length == 2 && parts[0] == @"\#")
                {
                    Check(writer.TryWriteBytes(Convert.FromHexString(parts[1])));
                }
                break;
        }
        BinaryPrimitives.WriteUInt16BigEndian(writer.Written[lengthAt..], (ushort)(writer.Position - lengthAt - 2));
    }

    private static void WriteName(ref DnsWriter writer, string text, bool keepCase)
    {
        Span<byte> name = stackalloc byte[DnsName.MaxLength];
        Check(DnsName.TryEncode(text, name, out var length));
        if (keepCase)
        {
            // TryEncode lower-cases; put the asked case back, label bytes sit one past each dot.
            var trimmed = text.TrimEnd('.');
            for (var i = 0; i < trimmed.Length; i++)
            {
                if (trimmed[i] != '.')
                {
                    name[i + 1] = (byte)trimmed[i];
                }
            }
        }
        Check(writer.TryWriteName(name[..length]));
    }

    private static int ReadName(ReadOnlySpan<byte> message, ref int position, Span<byte> name)
    {
        if (!DnsName.TryRead(message, position, name, out var length, out var next))
        {
            throw new FormatException($"A malformed name at offset {position}.");
        }
        position = next;
        return length;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> message, int position) =>
        position + 2 <= message.Length ? BinaryPrimitives.ReadUInt16BigEndian(message[position..]) : throw new FormatException("The message ends early.");

    private static void Check(bool written)
    {
        if (!written)
        {
            throw new ArgumentException("The message cannot be encoded (too large, or a record's data does not fit its type).");
        }
    }
}
