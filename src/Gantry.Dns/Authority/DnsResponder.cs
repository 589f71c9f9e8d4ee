using Gantry.Dns.Wire;

namespace Gantry.Dns.Authority;

/// <summary>
/// Turns one query into its response: authoritative answers from the current <see cref="CompiledCatalog"/>, errors
/// for what cannot be answered, or <see cref="QueryOutcome.Forward"/>. Allocates nothing; the catalog is read
/// through one volatile reference, so <see cref="Update"/> takes effect for the next query without locks.
/// </summary>
internal sealed class DnsResponder(bool hasUpstreams)
{
    private const int QuestionOffset = DnsWire.HeaderLength;
    private const int MaxCnameChain = 8;
    private const int MaxAnswered = 8;
    private const int MaxShuffledOnStack = 256;

    private volatile CompiledCatalog _catalog = CompiledCatalog.Empty;

    public bool HasUpstreams { get; } = hasUpstreams;

    public void Update(CompiledCatalog catalog) => _catalog = catalog;

    /// <summary>Writes the response to <paramref name="query"/> into <paramref name="response"/> (<paramref name="length"/> bytes) unless it is to be forwarded or dropped.</summary>
    public QueryOutcome Respond(ReadOnlySpan<byte> query, Span<byte> response, bool tcp, out int length)
    {
        length = 0;
        Span<byte> asked = stackalloc byte[DnsName.MaxLength];
        var status = DnsQuery.Parse(query, asked, out var q);
        if (status == DnsQueryStatus.Drop)
        {
            return QueryOutcome.Drop;
        }
        if (status != DnsQueryStatus.Ok)
        {
            length = status switch
            {
                DnsQueryStatus.NotImp => WriteError(q, response, DnsRcode.NotImp, [], tcp),
                DnsQueryStatus.BadVers => WriteError(q, response, DnsRcode.BadVers, asked[..q.NameLength], tcp),
                _ => WriteError(q, response, DnsRcode.FormErr, [], tcp),
            };
            return QueryOutcome.Answer;
        }
        asked = asked[..q.NameLength];
        Span<byte> name = stackalloc byte[asked.Length];
        DnsName.ToLower(asked, name);
        var catalog = _catalog;
        NameNode? node = null;
        CompiledZone? zone = null;
        if (q.Class is DnsWire.ClassIn or DnsWire.ClassAny)
        {
            node = catalog.FindNode(name);
            zone = node?.Zone ?? catalog.FindZone(name);
        }
        if (zone is null)
        {
            if (HasUpstreams)
            {
                return QueryOutcome.Forward;
            }
            length = WriteError(q, response, DnsRcode.Refused, asked, tcp);
            return QueryOutcome.Answer;
        }
        length = Answer(catalog, q, asked, name, node, zone, response, tcp);
        return QueryOutcome.Answer;
    }

    /// <summary>
    /// An answer without records: the question echoed when given (FORMERR and NOTIMP answer the header alone), an OPT
    /// when the query had one (BADVERS lives in its extended RCODE).
    /// </summary>
    public int WriteError(in DnsQuery q, Span<byte> response, DnsRcode rcode, ReadOnlySpan<byte> asked, bool tcp)
    {
        Span<ushort> labels = stackalloc ushort[8];
        var writer = new DnsWriter(response, tcp ? DnsWire.MaxMessage : q.UdpLimit, labels);
        writer.WriteHeader(q.Id, (ushort)(ResponseFlags(q) | ((ushort)rcode & DnsWire.RcodeMask)));
        if (!asked.IsEmpty)
        {
            writer.TryWriteName(asked, compress: false);
            writer.TryWriteUInt16(q.Type);
            writer.TryWriteUInt16(q.Class);
            writer.SetCount(DnsWire.QdCountOffset, 1);
        }
        if (q.HasEdns && rcode != DnsRcode.FormErr)
        {
            WriteOpt(ref writer, rcode);
            writer.SetCount(DnsWire.ArCountOffset, 1);
        }
        return writer.Position;
    }

    private ushort ResponseFlags(in DnsQuery q) =>
        (ushort)(DnsWire.FlagQr | (q.Flags & (DnsWire.OpcodeMask | DnsWire.FlagRd | DnsWire.FlagCd)) | (HasUpstreams ? DnsWire.FlagRa : 0));

    private int Answer(CompiledCatalog catalog, in DnsQuery q, ReadOnlySpan<byte> asked, ReadOnlySpan<byte> name, NameNode? node, CompiledZone zone, Span<byte> response, bool tcp)
    {
        Span<ushort> labels = stackalloc ushort[128];
        var writer = new DnsWriter(response, tcp ? DnsWire.MaxMessage : q.UdpLimit, labels);
        writer.WriteHeader(q.Id, (ushort)(ResponseFlags(q) | DnsWire.FlagAa));
        writer.TryWriteName(asked, compress: false);
        writer.TryWriteUInt16(q.Type);
        writer.TryWriteUInt16(q.Class);
        if (q.HasEdns)
        {
            writer.Limit -= DnsWire.OptRecordLength;
        }

        var targets = new TargetBuffer();
        var targetCount = 0;
        var answers = 0;
        var fits = true;
        var rcode = DnsRcode.NoError;
        CompiledZone? negative = null;
        var owner = name;
        var ownerIsQuestion = true;
        for (var hop = 0; ; hop++)
        {
            if (node is null)
            {
                rcode = DnsRcode.NxDomain;
                negative = zone;
                break;
            }
            if (node.Cname is { } cname && q.Type != (ushort)DnsRecordType.Cname)
            {
                fits = WriteSet(ref writer, cname, owner, ownerIsQuestion, ref answers, targets, ref targetCount);
                if (!fits || q.Type == (ushort)DnsRecordType.Any || hop == MaxCnameChain)
                {
                    break;
                }
                // Follow the chain while it stays in zones served here; elsewhere the client's resolver follows it.
                owner = cname.CnameTarget!;
                ownerIsQuestion = false;
                node = catalog.FindNode(owner);
                if ((node?.Zone ?? catalog.FindZone(owner)) is not { } next)
                {
                    break;
                }
                zone = next;
                continue;
            }
            var before = answers;
            if (q.Type == (ushort)DnsRecordType.Any)
            {
                foreach (var set in node.Sets)
                {
                    if (!(fits = WriteSet(ref writer, set, owner, ownerIsQuestion, ref answers, targets, ref targetCount)))
                    {
                        break;
                    }
                }
            }
            else if (node.Find(q.Type) is { } set)
            {
                fits = WriteSet(ref writer, set, owner, ownerIsQuestion, ref answers, targets, ref targetCount);
            }
            if (answers == before && fits)
            {
                negative = node.Zone;
            }
            break;
        }

        var authority = 0;
        if (fits && negative is not null)
        {
            var start = writer.Position;
            if (writer.TryWriteName(negative.Name) && writer.TryWriteBytes(negative.NegativeSoa))
            {
                authority = 1;
            }
            else
            {
                writer.Rewind(start);
                fits = false;
            }
        }

        // Additional addresses are a courtesy: what does not fit is left out without truncating (RFC 2181 9).
        var additional = 0;
        if (fits)
        {
            var unused = 0;
            for (var i = 0; i < targetCount; i++)
            {
                var target = targets[i]!;
                foreach (var set in target.Sets)
                {
                    if (set.Type is DnsRecordType.A or DnsRecordType.Aaaa)
                    {
                        WriteSet(ref writer, set, target.Name, false, ref additional, default, ref unused);
                    }
                }
            }
        }

        var flags = writer.Flags | (ushort)rcode | (fits ? 0 : DnsWire.FlagTc);
        writer.SetFlags((ushort)flags);
        writer.SetCount(DnsWire.QdCountOffset, 1);
        writer.SetCount(DnsWire.AnCountOffset, answers);
        writer.SetCount(DnsWire.NsCountOffset, authority);
        if (q.HasEdns)
        {
            writer.Limit += DnsWire.OptRecordLength;
            WriteOpt(ref writer, DnsRcode.NoError);
            additional++;
        }
        writer.SetCount(DnsWire.ArCountOffset, additional);
        return writer.Position;
    }

    /// <summary>
    /// Writes the records of <paramref name="set"/> the routing policy picks; false (and whole records only) when they do
    /// not all fit. SRV and NS targets this server has are collected into <paramref name="targets"/>.
    /// </summary>
    private static bool WriteSet(ref DnsWriter writer, CompiledSet set, ReadOnlySpan<byte> owner, bool ownerIsQuestion, ref int count, Span<NameNode?> targets, ref int targetCount)
    {
        var records = set.Records;
        Span<int> chosen = stackalloc int[MaxAnswered];
        var picked = Pick(set, chosen);
        for (var i = 0; i < picked; i++)
        {
            var index = chosen[i];
            var start = writer.Position;
            var ownerWritten = ownerIsQuestion ? writer.TryWritePointer(QuestionOffset) : writer.TryWriteName(owner);
            if (!ownerWritten || !writer.TryWriteBytes(records[index]) || (set.CnameTarget is { } cname && !WriteCnameData(ref writer, cname)))
            {
                writer.Rewind(start);
                return false;
            }
            count++;
            if (set.TargetOffset > 0)
            {
                var target = set.TargetNames[index];
                writer.RegisterName(writer.Position - records[index].Length + set.TargetOffset, target);
                if (set.Targets[index] is { } node && targetCount < targets.Length && !targets[..targetCount].Contains(node))
                {
                    targets[targetCount++] = node;
                }
            }
        }
        return true;
    }

    private static bool WriteCnameData(ref DnsWriter writer, byte[] target)
    {
        var lengthAt = writer.Position;
        if (!writer.TryWriteUInt16(0) || !writer.TryWriteName(target))
        {
            return false;
        }
        writer.Patch(lengthAt, (ushort)(writer.Position - lengthAt - 2));
        return true;
    }

    /// <summary>Multivalue: up to 8 records, shuffled per query; weighted: one at random.</summary>
    private static int Pick(CompiledSet set, Span<int> chosen)
    {
        var count = set.Records.Length;
        if (count == 1)
        {
            chosen[0] = 0;
            return 1;
        }
        if (set.Policy == DnsRoutingPolicy.Weighted)
        {
            chosen[0] = Random.Shared.Next(count);
            return 1;
        }
        var picked = Math.Min(count, chosen.Length);
        if (count <= MaxShuffledOnStack)
        {
            // A partial Fisher-Yates shuffle: the first `picked` places.
            Span<int> order = stackalloc int[count];
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }
            for (var i = 0; i < picked; i++)
            {
                var j = Random.Shared.Next(i, count);
                (order[i], order[j]) = (order[j], order[i]);
                chosen[i] = order[i];
            }
            return picked;
        }
        // Many records: draw distinct indexes (a repeat is unlikely when picking 8 of more than 256).
        for (var i = 0; i < picked;)
        {
            var index = Random.Shared.Next(count);
            if (!chosen[..i].Contains(index))
            {
                chosen[i++] = index;
            }
        }
        return picked;
    }

    private static void WriteOpt(ref DnsWriter writer, DnsRcode rcode)
    {
        writer.TryWriteBytes([0]);
        writer.TryWriteUInt16((ushort)DnsRecordType.Opt);
        writer.TryWriteUInt16(DnsWire.AdvertisedUdpPayload);
        writer.TryWriteUInt32((uint)((ushort)rcode >> 4) << 24);
        writer.TryWriteUInt16(0);
    }
}
