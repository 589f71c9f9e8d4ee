namespace Gantry.Dns;

/// <summary>The data of one record: <see cref="DnsAddress"/>, <see cref="DnsSrv"/> or <see cref="DnsCname"/>.</summary>
public abstract record DnsRecordData;
