namespace Gantry.ControlPlane.Discovery;

/// <summary>What a DNS server for Cloud Map serves: every private DNS namespace (a zone), its DNS services and their instances.</summary>
public sealed record DiscoverySnapshot(IReadOnlyList<DiscoverySnapshot.Zone> Zones)
{
    /// <summary>A private DNS namespace: its name (lowercase, no trailing dot) is the zone; its SOA TTL is the negative-caching TTL.</summary>
    public sealed record Zone(DiscoveryNamespaceRecord Namespace, IReadOnlyList<ZoneService> Services)
    {
        public string Name => Namespace.Name;

        public long SoaTtl => Namespace.Namespace.Properties?.DnsProperties?.SOA?.TTL ?? DiscoveryDefaults.SoaTtl;
    }

    /// <summary>
    /// A service with DNS records (<c>Service.Service.DnsConfig</c>: routing policy and record types with TTLs) and its
    /// instances, each with its attributes (AWS_INSTANCE_IPV4/IPV6/PORT/CNAME) and health status.
    /// </summary>
    public sealed record ZoneService(DiscoveryServiceRecord Service, IReadOnlyList<DiscoveryInstanceRecord> Instances);
}
