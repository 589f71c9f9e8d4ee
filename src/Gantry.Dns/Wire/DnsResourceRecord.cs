namespace Gantry.Dns.Wire;

/// <summary>
/// A decoded resource record. <paramref name="Data"/> is the RDATA in presentation form, names without trailing dot:
/// <c>192.0.2.1</c>, <c>1 10 80 web.app.local</c> (SRV), <c>ns1.app.local hostmaster.app.local 1 7200 900 1209600 30</c>
/// (SOA); other types as <c>\# hex</c>. For OPT, <paramref name="Class"/> is the UDP payload size and <paramref name="Ttl"/>
/// the extended RCODE, version and flags.
/// </summary>
internal sealed record DnsResourceRecord(string Name, ushort Type, ushort Class, uint Ttl, string Data);
