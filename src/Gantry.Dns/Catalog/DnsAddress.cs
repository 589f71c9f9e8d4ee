using System.Net;

namespace Gantry.Dns;

/// <summary>An A (IPv4) or AAAA (IPv6) record's address.</summary>
public sealed record DnsAddress(IPAddress Address) : DnsRecordData;
