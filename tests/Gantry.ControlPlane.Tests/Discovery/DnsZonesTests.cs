using System.Net;
using Gantry.ControlPlane.Discovery;
using Gantry.Dns;
using Gantry.Domain.ServiceDiscovery;

namespace Gantry.ControlPlane.Tests.Discovery;

public sealed class DnsZonesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_namespace_is_a_zone_whose_services_answer_their_healthy_instances_with_their_ttls()
    {
        var web = Service("web", RoutingPolicyValues.MULTIVALUE, (RecordTypeValues.A, 10), (RecordTypeValues.SRV, 20));
        var snapshot = Snapshot(("App.Local", 30, [(web, [
            Instance("t1", "10.0.0.1", 8080, HealthStatusValues.HEALTHY),
            Instance("t2", "10.0.0.2", 8081, HealthStatusValues.UNHEALTHY),
            Instance("t3", "10.0.0.3", 8082, HealthStatusValues.UNKNOWN)])]));

        var zone = Assert.Single(DnsZones.Build(snapshot, [], 42).Zones);

        Assert.Equal("app.local", zone.Name);
        Assert.Equal(30u, zone.NegativeTtl);
        Assert.Equal(42u, zone.Serial);
        var a = zone.RecordSets.Single(s => s.Name == "web.app.local" && s.Type == DnsRecordType.A);
        Assert.Equal(10u, a.Ttl);
        Assert.Equal(DnsRoutingPolicy.Multivalue, a.Policy);
        Assert.Equal(["10.0.0.1", "10.0.0.3"], a.Records.Cast<DnsAddress>().Select(r => r.Address.ToString()));
        var srv = zone.RecordSets.Single(s => s.Type == DnsRecordType.Srv);
        Assert.Equal([new DnsSrv(1, 1, 8080, "t1.web.app.local"), new DnsSrv(1, 1, 8082, "t3.web.app.local")], srv.Records);
        Assert.Equal(20u, srv.Ttl);
        Assert.Equal([IPAddress.Parse("10.0.0.1")], zone.RecordSets.Single(s => s.Name == "t1.web.app.local").Records.Cast<DnsAddress>().Select(r => r.Address));
    }

    [Fact]
    public void With_no_healthy_instance_all_are_answered_and_weighted_services_stay_weighted()
    {
        var api = Service("api", RoutingPolicyValues.WEIGHTED, (RecordTypeValues.A, 5));
        var snapshot = Snapshot(("app.local", 15, [(api, [Instance("t1", "10.0.0.1", null, HealthStatusValues.UNHEALTHY),
            Instance("t2", "10.0.0.2", null, HealthStatusValues.UNHEALTHY)])]));

        var set = Assert.Single(Assert.Single(DnsZones.Build(snapshot, [], 1).Zones).RecordSets);

        Assert.Equal(DnsRoutingPolicy.Weighted, set.Policy);
        Assert.Equal(2, set.Records.Count);
    }

    [Fact]
    public void A_load_balancer_name_is_a_zone_answering_its_address()
    {
        var catalog = DnsZones.Build(new DiscoverySnapshot([]), [("Web-123.us-east-1.elb.amazonaws.com", "127.0.100.1"), ("bad", "not-an-address")], 7);

        var zone = Assert.Single(catalog.Zones);
        Assert.Equal("web-123.us-east-1.elb.amazonaws.com", zone.Name);
        var set = Assert.Single(zone.RecordSets);
        Assert.Equal(DnsZones.LoadBalancerTtl, set.Ttl);
        Assert.Equal(IPAddress.Parse("127.0.100.1"), Assert.IsType<DnsAddress>(Assert.Single(set.Records)).Address);
    }

    private static DiscoveryServiceRecord Service(string name, string policy, params (string Type, long Ttl)[] records) => new(
        new DiscoveryService
        {
            Id = $"srv-{name}",
            Name = name,
            DnsConfig = new DnsConfig { RoutingPolicy = policy, DnsRecords = [.. records.Select(r => new DnsRecord { Type = r.Type, TTL = r.Ttl })] },
        }, [], "app.local", 1);

    private static DiscoveryInstanceRecord Instance(string id, string address, int? port, string health)
    {
        var attributes = new Dictionary<string, string> { ["AWS_INSTANCE_IPV4"] = address };
        if (port is { } p)
        {
            attributes["AWS_INSTANCE_PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return new DiscoveryInstanceRecord("srv", id, attributes, null, health, At);
    }

    private static DiscoverySnapshot Snapshot(params (string Name, long SoaTtl, (DiscoveryServiceRecord Service, DiscoveryInstanceRecord[] Instances)[] Services)[] zones) =>
        new([.. zones.Select(z => new DiscoverySnapshot.Zone(
            new DiscoveryNamespaceRecord(new DiscoveryNamespace
            {
                Id = "ns-1",
                Name = z.Name,
                Type = NamespaceTypeValues.DNS_PRIVATE,
                Properties = new NamespaceProperties { DnsProperties = new DnsProperties { SOA = new SOA { TTL = z.SoaTtl } } },
            }, [], "vpc-1", "op"),
            [.. z.Services.Select(s => new DiscoverySnapshot.ZoneService(s.Service, s.Instances))]))]);
}
