using System.Net;
using Gantry.Dns;
using Gantry.Domain.ServiceDiscovery;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// What the DNS server answers for Cloud Map (pure): one zone per private DNS namespace; per service with a DnsConfig, its
/// records at <c>&lt;service&gt;.&lt;namespace&gt;</c> (A from AWS_INSTANCE_IPV4, AAAA from AWS_INSTANCE_IPV6, CNAME from
/// AWS_INSTANCE_CNAME, SRV <c>1 1 &lt;AWS_INSTANCE_PORT&gt; &lt;instance&gt;.&lt;service&gt;.&lt;namespace&gt;</c> with A/AAAA
/// records of that name) with the TTLs and routing policy the service sets. Only healthy instances (HEALTHY, or UNKNOWN
/// without a health check) are answered; when none is, all of them are, as Route 53 does. Each load balancer's DNS name
/// is a zone of its own whose apex answers the balancer's address (TTL 60, as ELB's), so tasks resolve it too.
/// </summary>
public static class DnsZones
{
    /// <summary>The TTL of a load balancer's A record (ELB answers 60 s).</summary>
    public const uint LoadBalancerTtl = 60;

    /// <param name="loadBalancers">Every load balancer's DNS name and listen address.</param>
    public static DnsCatalog Build(DiscoverySnapshot snapshot, IReadOnlyList<(string DnsName, string Address)> loadBalancers, long revision)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(loadBalancers);
        var serial = (uint)(revision % uint.MaxValue);
        var namespaces = snapshot.Zones.Select(z => new DnsZone(z.Name.ToLowerInvariant(), serial, (uint)Math.Clamp(z.SoaTtl, 0, uint.MaxValue),
            [.. z.Services.SelectMany(s => RecordSets(z.Name.ToLowerInvariant(), s))]));
        var balancers = loadBalancers
            .Where(b => IPAddress.TryParse(b.Address, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !string.IsNullOrEmpty(b.DnsName))
            .Select(b => new DnsZone(b.DnsName.TrimEnd('.').ToLowerInvariant(), serial, LoadBalancerTtl,
                [new DnsRecordSet(b.DnsName.TrimEnd('.').ToLowerInvariant(), DnsRecordType.A, LoadBalancerTtl, DnsRoutingPolicy.Multivalue,
                    [new DnsAddress(IPAddress.Parse(b.Address))])]));
        return new DnsCatalog([.. namespaces, .. balancers.DistinctBy(z => z.Name)]);
    }

    private static IEnumerable<DnsRecordSet> RecordSets(string zone, DiscoverySnapshot.ZoneService entry)
    {
        if (entry.Service.Service.DnsConfig is not { DnsRecords: { } records } config)
        {
            yield break;
        }
        var name = $"{entry.Service.Name.ToLowerInvariant()}.{zone}";
        var policy = config.RoutingPolicy == RoutingPolicyValues.WEIGHTED ? DnsRoutingPolicy.Weighted : DnsRoutingPolicy.Multivalue;
        var healthy = entry.Instances.Where(i => i.HealthStatus != HealthStatusValues.UNHEALTHY).ToList();
        var answered = healthy.Count > 0 ? healthy : entry.Instances;
        foreach (var record in records)
        {
            var ttl = (uint)Math.Clamp(record.TTL ?? 0, 0, uint.MaxValue);
            switch (record.Type)
            {
                case RecordTypeValues.A:
                    yield return Set(name, DnsRecordType.A, ttl, policy, answered.Select(i => Address(i, "AWS_INSTANCE_IPV4")));
                    break;
                case RecordTypeValues.AAAA:
                    yield return Set(name, DnsRecordType.Aaaa, ttl, policy, answered.Select(i => Address(i, "AWS_INSTANCE_IPV6")));
                    break;
                case RecordTypeValues.CNAME:
                    yield return Set(name, DnsRecordType.Cname, ttl, policy,
                        answered.Select(i => i.Attributes.GetValueOrDefault("AWS_INSTANCE_CNAME") is { Length: > 0 } target ? new DnsCname(target.TrimEnd('.').ToLowerInvariant()) : null));
                    break;
                case RecordTypeValues.SRV:
                    var ported = answered.Select(i => (Instance: i, Port: Port(i))).Where(p => p.Port is not null).ToList();
                    yield return Set(name, DnsRecordType.Srv, ttl, policy, ported.Select(p => new DnsSrv(1, 1, p.Port!.Value, Host(p.Instance, name))));
                    // Each SRV target resolves too (the instance's own name).
                    foreach (var (instance, _) in ported)
                    {
                        if (Address(instance, "AWS_INSTANCE_IPV4") is { } v4)
                        {
                            yield return new DnsRecordSet(Host(instance, name), DnsRecordType.A, ttl, DnsRoutingPolicy.Multivalue, [v4]);
                        }
                        if (Address(instance, "AWS_INSTANCE_IPV6") is { } v6)
                        {
                            yield return new DnsRecordSet(Host(instance, name), DnsRecordType.Aaaa, ttl, DnsRoutingPolicy.Multivalue, [v6]);
                        }
                    }
                    break;
            }
        }
    }

    private static ushort? Port(DiscoveryInstanceRecord instance) =>
        ushort.TryParse(instance.Attributes.GetValueOrDefault("AWS_INSTANCE_PORT"), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var port) ? port : null;

    private static string Host(DiscoveryInstanceRecord instance, string serviceName) => $"{instance.InstanceId.ToLowerInvariant()}.{serviceName}";

    private static DnsAddress? Address(DiscoveryInstanceRecord instance, string attribute) =>
        IPAddress.TryParse(instance.Attributes.GetValueOrDefault(attribute), out var address) ? new DnsAddress(address) : null;

    private static DnsRecordSet Set(string name, DnsRecordType type, uint ttl, DnsRoutingPolicy policy, IEnumerable<DnsRecordData?> records) =>
        new(name, type, ttl, policy, [.. records.OfType<DnsRecordData>()]);
}
