namespace Gantry.Dns;

/// <summary>One immutable snapshot of everything the server is authoritative for; <see cref="DnsServer.Update"/> swaps it atomically.</summary>
public sealed record DnsCatalog(IReadOnlyList<DnsZone> Zones)
{
    /// <summary>No zones: every query is forwarded (or refused without upstreams).</summary>
    public static DnsCatalog Empty { get; } = new DnsCatalog([]);
}
