using System.Net;

namespace Gantry.Dns.Tests;

/// <summary>The zone most tests serve: <c>app.local</c>, negative TTL 30, serial 7.</summary>
internal static class TestCatalog
{
    public const uint NegativeTtl = 30;

    public static DnsRecordSet A(string name, params string[] addresses) =>
        new(name, DnsRecordType.A, 60, DnsRoutingPolicy.Multivalue, [.. addresses.Select(a => new DnsAddress(IPAddress.Parse(a)))]);

    public static DnsCatalog Create() => new([new DnsZone("app.local", 7, NegativeTtl,
    [
        A("web.app.local", "10.0.0.1", "10.0.0.2", "10.0.0.3"),
        A("many.app.local", [.. Enumerable.Range(1, 20).Select(i => $"10.1.0.{i}")]),
        A("weighted.app.local", [.. Enumerable.Range(1, 5).Select(i => $"10.2.0.{i}")]) with { Policy = DnsRoutingPolicy.Weighted },
        new("web.app.local", DnsRecordType.Aaaa, 60, DnsRoutingPolicy.Multivalue, [new DnsAddress(IPAddress.Parse("fd00::1"))]),
        A("api-1.app.local", "10.3.0.1"),
        A("api-2.app.local", "10.3.0.2"),
        new("_http._tcp.api.app.local", DnsRecordType.Srv, 60, DnsRoutingPolicy.Multivalue,
            [new DnsSrv(1, 10, 8080, "api-1.app.local"), new DnsSrv(1, 10, 8081, "api-2.app.local")]),
        new("alias.app.local", DnsRecordType.Cname, 120, DnsRoutingPolicy.Multivalue, [new DnsCname("web.app.local")]),
        new("outside.app.local", DnsRecordType.Cname, 120, DnsRoutingPolicy.Multivalue, [new DnsCname("example.test")]),
        new("dangling.app.local", DnsRecordType.Cname, 120, DnsRoutingPolicy.Multivalue, [new DnsCname("gone.app.local")]),
        A("a.b.c.app.local", "10.4.0.1"),
        new("_big._tcp.app.local", DnsRecordType.Srv, 60, DnsRoutingPolicy.Multivalue,
            [.. Enumerable.Range(1, 8).Select(i => new DnsSrv(1, 1, (ushort)(9000 + i), $"instance-{i}-with-a-rather-long-name-to-fill-datagrams.big.app.local"))]),
    ])]);
}
