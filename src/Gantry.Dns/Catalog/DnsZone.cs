namespace Gantry.Dns;

/// <summary>
/// A zone: lower-case name without trailing dot (<c>app.local</c>) and its record sets. Its SOA is synthesized:
/// mname <c>ns1.&lt;zone&gt;</c>, rname <c>hostmaster.&lt;zone&gt;</c>, <paramref name="Serial"/>, refresh 7200,
/// retry 900, expire 1209600, minimum <paramref name="NegativeTtl"/>; its NS is <c>ns1.&lt;zone&gt;</c>.
/// </summary>
public sealed record DnsZone(string Name, uint Serial, uint NegativeTtl, IReadOnlyList<DnsRecordSet> RecordSets);
