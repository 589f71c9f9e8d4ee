namespace Gantry.Dns;

/// <summary>A CNAME record's canonical name, without trailing dot.</summary>
public sealed record DnsCname(string Target) : DnsRecordData;
