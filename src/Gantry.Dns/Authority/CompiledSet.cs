namespace Gantry.Dns.Authority;

/// <summary>
/// One record set ready for the wire: each record's bytes after its owner name (type, class, TTL, RDLENGTH, RDATA),
/// so answering a record is a pointer and one copy. A CNAME keeps only type, class and TTL: its target is written
/// with compression.
/// </summary>
internal sealed class CompiledSet(DnsRecordType type, DnsRoutingPolicy policy, byte[][] records)
{
    public DnsRecordType Type { get; } = type;

    public DnsRoutingPolicy Policy { get; } = policy;

    public byte[][] Records { get; } = records;

    /// <summary>SRV and NS: where each record's target name starts in its bytes (0: no target).</summary>
    public int TargetOffset { get; init; }

    /// <summary>SRV and NS: each record's target, lower-case wire form.</summary>
    public byte[][] TargetNames { get; init; } = [];

    /// <summary>SRV and NS: each record's target node when this server has it (its addresses go in the additional section).</summary>
    public NameNode?[] Targets { get; set; } = [];

    /// <summary>CNAME: the target, lower-case wire form.</summary>
    public byte[]? CnameTarget { get; init; }
}
