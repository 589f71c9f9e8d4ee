namespace Gantry.Dns;

/// <summary>All records of one owner name (lower-case, no trailing dot) and type, with their TTL and routing policy.</summary>
public sealed record DnsRecordSet(string Name, DnsRecordType Type, uint Ttl, DnsRoutingPolicy Policy, IReadOnlyList<DnsRecordData> Records);
