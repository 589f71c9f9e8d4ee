namespace Gantry.Dns;

/// <summary>An SRV record (RFC 2782); <paramref name="Target"/> is a host name without trailing dot.</summary>
public sealed record DnsSrv(ushort Priority, ushort Weight, ushort Port, string Target) : DnsRecordData;
