using System.Buffers.Binary;
using System.Net.Sockets;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Authority;

/// <summary>
/// A <see cref="DnsCatalog"/> turned into lookups by lower-case wire name, built once per
/// <see cref="DnsServer.Update"/> and only read afterwards, so queries share it without locks.
/// </summary>
internal sealed class CompiledCatalog
{
    private const int MaxCnameTargets = 1;

    private readonly Dictionary<byte[], NameNode>.AlternateLookup<ReadOnlySpan<byte>> _nodes;
    private readonly Dictionary<byte[], CompiledZone>.AlternateLookup<ReadOnlySpan<byte>> _zones;
    private readonly bool _hasZones;

    private CompiledCatalog(Dictionary<byte[], NameNode> nodes, Dictionary<byte[], CompiledZone> zones)
    {
        _nodes = nodes.GetAlternateLookup<ReadOnlySpan<byte>>();
        _zones = zones.GetAlternateLookup<ReadOnlySpan<byte>>();
        _hasZones = zones.Count > 0;
    }

    public static CompiledCatalog Empty { get; } = Compile(DnsCatalog.Empty);

    public NameNode? FindNode(ReadOnlySpan<byte> name) =>
        _hasZones && _nodes.TryGetValue(name, out var node) ? node : null;

    /// <summary>The deepest zone <paramref name="name"/> is at or below, if any.</summary>
    public CompiledZone? FindZone(ReadOnlySpan<byte> name)
    {
        if (!_hasZones)
        {
            return null;
        }
        for (var position = 0; name[position] != 0; position += name[position] + 1)
        {
            if (_zones.TryGetValue(name[position..], out var zone))
            {
                return zone;
            }
        }
        return null;
    }

    /// <summary>Checks and compiles a catalog; throws <see cref="ArgumentException"/> naming the first problem.</summary>
    public static CompiledCatalog Compile(DnsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var zones = new Dictionary<byte[], CompiledZone>(WireNameComparer.Instance);
        var sources = new List<(DnsZone Zone, byte[] Name)>();
        foreach (var zone in catalog.Zones)
        {
            var name = DnsName.Encode(zone.Name);
            if (name.Length == 1)
            {
                throw new ArgumentException("The root zone cannot be served.", nameof(catalog));
            }
            if (!zones.TryAdd(name, new CompiledZone(name, Soa(name, zone.Serial, zone.NegativeTtl, Math.Min(CompiledZone.SoaTtl, zone.NegativeTtl)))))
            {
                throw new ArgumentException($"Zone '{zone.Name}' is listed twice.", nameof(catalog));
            }
            sources.Add((zone, name));
        }
        var zoneLookup = new CompiledCatalog(new Dictionary<byte[], NameNode>(WireNameComparer.Instance), zones);

        // Record sets by owner name; each owner belongs to the deepest zone it is in.
        var owners = new Dictionary<byte[], List<CompiledSet>>(WireNameComparer.Instance);
        foreach (var (zone, zoneName) in sources)
        {
            var apex = Owner(owners, zoneName);
            apex.Add(new CompiledSet(DnsRecordType.Soa, DnsRoutingPolicy.Multivalue, [Soa(zoneName, zone.Serial, zone.NegativeTtl, CompiledZone.SoaTtl)]));
            var ns = Concat([3, (byte)'n', (byte)'s', (byte)'1'], zoneName);
            apex.Add(new CompiledSet(DnsRecordType.Ns, DnsRoutingPolicy.Multivalue, [Record(DnsRecordType.Ns, CompiledZone.NsTtl, ns)])
            {
                TargetOffset = 10,
                TargetNames = [ns],
            });
            foreach (var set in zone.RecordSets)
            {
                var name = DnsName.Encode(set.Name);
                if (!DnsName.IsAtOrBelow(name, zoneName))
                {
                    throw new ArgumentException($"Record set '{set.Name}' {set.Type} is not in zone '{zone.Name}'.", nameof(catalog));
                }
                if (set.Records.Count == 0)
                {
                    continue;
                }
                var sets = Owner(owners, name);
                if (sets.Exists(s => s.Type == set.Type))
                {
                    throw new ArgumentException($"Record set '{set.Name}' {set.Type} is listed twice.", nameof(catalog));
                }
                sets.Add(CompileSet(set));
                if (sets.Count > 1 && sets.Exists(s => s.Type == DnsRecordType.Cname))
                {
                    throw new ArgumentException($"'{set.Name}' has a CNAME and other data (RFC 1034 3.6.2).", nameof(catalog));
                }
            }
        }

        var nodes = new Dictionary<byte[], NameNode>(WireNameComparer.Instance);
        foreach (var (name, sets) in owners)
        {
            var zone = zoneLookup.FindZone(name)!;
            nodes[name] = new NameNode(name, zone, [.. sets]);
            // Every name between an owner and its zone's apex exists (empty non-terminals).
            for (var position = name[0] + 1; position < name.Length - zone.Name.Length; position += name[position] + 1)
            {
                var parent = name[position..];
                if (!owners.ContainsKey(parent) && !nodes.ContainsKey(parent))
                {
                    nodes[parent] = new NameNode(parent, zone, []);
                }
            }
        }
        var compiled = new CompiledCatalog(nodes, zones);
        foreach (var node in nodes.Values)
        {
            foreach (var set in node.Sets)
            {
                set.Targets = [.. set.TargetNames.Select(t => compiled.FindNode(t))];
            }
        }
        return compiled;
    }

    private static List<CompiledSet> Owner(Dictionary<byte[], List<CompiledSet>> owners, byte[] name)
    {
        if (!owners.TryGetValue(name, out var sets))
        {
            owners[name] = sets = [];
        }
        return sets;
    }

    private static CompiledSet CompileSet(DnsRecordSet set)
    {
        string Problem(string what) => $"Record set '{set.Name}' {set.Type}: {what}.";
        switch (set.Type)
        {
            case DnsRecordType.A or DnsRecordType.Aaaa:
                var family = set.Type == DnsRecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
                return new CompiledSet(set.Type, set.Policy, [.. set.Records.Select(r => r is DnsAddress a && a.Address.AddressFamily == family
                    ? Record(set.Type, set.Ttl, a.Address.GetAddressBytes())
                    : throw new ArgumentException(Problem($"every record must be an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} DnsAddress"), nameof(set)))]);
            case DnsRecordType.Srv:
                var srvs = set.Records.Select(r => r as DnsSrv ?? throw new ArgumentException(Problem("every record must be a DnsSrv"), nameof(set))).ToArray();
                var targets = srvs.Select(s => DnsName.Encode(s.Target)).ToArray();
                return new CompiledSet(set.Type, set.Policy, [.. srvs.Select((s, i) =>
                {
                    var data = new byte[6 + targets[i].Length];
                    BinaryPrimitives.WriteUInt16BigEndian(data, s.Priority);
                    BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), s.Weight);
                    BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(4), s.Port);
                    targets[i].CopyTo(data, 6);
                    return Record(set.Type, set.Ttl, data);
                })])
                {
                    TargetOffset = 16,
                    TargetNames = targets,
                };
            case DnsRecordType.Cname:
                if (set.Records.Count > MaxCnameTargets || set.Records[0] is not DnsCname cname)
                {
                    throw new ArgumentException(Problem("a CNAME set holds exactly one DnsCname"), nameof(set));
                }
                var prefix = Record(set.Type, set.Ttl, []);
                return new CompiledSet(set.Type, set.Policy, [prefix[..8]]) { CnameTarget = DnsName.Encode(cname.Target) };
            default:
                throw new ArgumentException(Problem("only A, AAAA, SRV and CNAME sets can be served"), nameof(set));
        }
    }

    /// <summary>A record's bytes after its owner: type, class IN, TTL, RDLENGTH, RDATA.</summary>
    private static byte[] Record(DnsRecordType type, uint ttl, ReadOnlySpan<byte> data)
    {
        var record = new byte[10 + data.Length];
        BinaryPrimitives.WriteUInt16BigEndian(record, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(2), DnsWire.ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4), ttl);
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(8), (ushort)data.Length);
        data.CopyTo(record.AsSpan(10));
        return record;
    }

    private static byte[] Soa(byte[] zone, uint serial, uint minimum, uint ttl)
    {
        var mname = Concat([3, (byte)'n', (byte)'s', (byte)'1'], zone);
        var rname = Concat([10, .. "hostmaster"u8], zone);
        var data = new byte[mname.Length + rname.Length + 20];
        mname.CopyTo(data, 0);
        rname.CopyTo(data, mname.Length);
        var numbers = data.AsSpan(mname.Length + rname.Length);
        BinaryPrimitives.WriteUInt32BigEndian(numbers, serial);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[4..], CompiledZone.Refresh);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[8..], CompiledZone.Retry);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[12..], CompiledZone.Expire);
        BinaryPrimitives.WriteUInt32BigEndian(numbers[16..], minimum);
        return Record(DnsRecordType.Soa, ttl, data);
    }

    private static byte[] Concat(ReadOnlySpan<byte> label, byte[] zone) => [.. label, .. zone];
}
