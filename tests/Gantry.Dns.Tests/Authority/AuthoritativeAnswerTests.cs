using System.Net;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Tests.Authority;

public sealed class AuthoritativeAnswerTests : IAsyncLifetime
{
    private DnsServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<DnsMessage> AskAsync(string name, DnsRecordType type, ushort? edns = null) =>
        DnsClient.UdpAsync(_server.Endpoint, DnsMessage.Query(4242, name, type, edns));

    [Fact]
    public async Task An_A_query_answers_the_set_authoritatively_with_its_ttl()
    {
        var answer = await AskAsync("web.app.local", DnsRecordType.A);

        Assert.Equal(4242, answer.Id);
        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.True(answer.HasFlag(DnsWire.FlagAa));
        Assert.True(answer.HasFlag(DnsWire.FlagRd));
        Assert.False(answer.HasFlag(DnsWire.FlagRa)); // no upstreams
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], answer.Answers.Select(a => a.Data).Order());
        Assert.All(answer.Answers, a => Assert.Equal((60u, "web.app.local"), (a.Ttl, a.Name)));
        Assert.Empty(answer.Authority);
    }

    [Fact]
    public async Task An_SRV_answer_carries_its_targets_addresses_in_the_additional_section()
    {
        var answer = await AskAsync("_http._tcp.api.app.local", DnsRecordType.Srv);

        Assert.Equal(["1 10 8080 api-1.app.local", "1 10 8081 api-2.app.local"], answer.Answers.Select(a => a.Data).Order());
        Assert.Equal(["api-1.app.local 10.3.0.1", "api-2.app.local 10.3.0.2"], answer.Additional.Select(a => $"{a.Name} {a.Data}").Order());
    }

    [Fact]
    public async Task A_multivalue_set_answers_8_of_its_20_records_shuffled_per_query()
    {
        var orders = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var answer = await AskAsync("many.app.local", DnsRecordType.A);
            Assert.Equal(8, answer.Answers.Count);
            Assert.Equal(8, answer.Answers.Select(a => a.Data).Distinct().Count());
            Assert.All(answer.Answers, a => Assert.StartsWith("10.1.0.", a.Data, StringComparison.Ordinal));
            orders.Add(string.Join(',', answer.Answers.Select(a => a.Data)));
        }
        Assert.True(orders.Count > 1, "every query answered the same records in the same order");
    }

    [Fact]
    public async Task A_weighted_set_answers_one_random_record()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var answer = await AskAsync("weighted.app.local", DnsRecordType.A);
            seen.Add(Assert.Single(answer.Answers).Data);
        }
        Assert.True(seen.Count > 1, "the same record every time");
        Assert.All(seen, a => Assert.StartsWith("10.2.0.", a, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_CNAME_answers_itself_and_its_in_zone_targets_records_for_any_type()
    {
        var answer = await AskAsync("alias.app.local", DnsRecordType.A);

        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.Equal(("alias.app.local", (ushort)DnsRecordType.Cname, "web.app.local", 120u), (answer.Answers[0].Name, answer.Answers[0].Type, answer.Answers[0].Data, answer.Answers[0].Ttl));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], answer.Answers.Skip(1).Select(a => a.Data).Order());
        Assert.All(answer.Answers.Skip(1), a => Assert.Equal("web.app.local", a.Name));

        var outside = await AskAsync("outside.app.local", DnsRecordType.Aaaa);
        Assert.Equal("example.test", Assert.Single(outside.Answers).Data);
        Assert.Empty(outside.Authority);

        var cname = await AskAsync("alias.app.local", DnsRecordType.Cname);
        Assert.Equal("web.app.local", Assert.Single(cname.Answers).Data);
    }

    [Fact]
    public async Task A_CNAME_to_a_missing_in_zone_name_is_NXDOMAIN_with_the_CNAME_and_the_SOA()
    {
        var answer = await AskAsync("dangling.app.local", DnsRecordType.A);

        Assert.Equal(DnsRcode.NxDomain, answer.Rcode);
        Assert.Equal("gone.app.local", Assert.Single(answer.Answers).Data);
        Assert.Equal((ushort)DnsRecordType.Soa, Assert.Single(answer.Authority).Type);
    }

    [Fact]
    public async Task A_name_without_the_asked_type_is_NODATA_with_the_SOA_at_the_negative_ttl()
    {
        var answer = await AskAsync("api-1.app.local", DnsRecordType.Aaaa);

        Assert.Equal(DnsRcode.NoError, answer.Rcode);
        Assert.True(answer.HasFlag(DnsWire.FlagAa));
        Assert.Empty(answer.Answers);
        var soa = Assert.Single(answer.Authority);
        Assert.Equal(("app.local", (ushort)DnsRecordType.Soa, TestCatalog.NegativeTtl), (soa.Name, soa.Type, soa.Ttl));
        Assert.Equal($"ns1.app.local hostmaster.app.local 7 7200 900 1209600 {TestCatalog.NegativeTtl}", soa.Data);
    }

    [Fact]
    public async Task A_missing_name_under_the_zone_is_NXDOMAIN_with_the_SOA()
    {
        var answer = await AskAsync("nope.app.local", DnsRecordType.A);

        Assert.Equal(DnsRcode.NxDomain, answer.Rcode);
        Assert.True(answer.HasFlag(DnsWire.FlagAa));
        Assert.Empty(answer.Answers);
        Assert.Equal((ushort)DnsRecordType.Soa, Assert.Single(answer.Authority).Type);
    }

    [Fact]
    public async Task An_empty_non_terminal_is_NODATA_not_NXDOMAIN()
    {
        foreach (var name in new[] { "b.c.app.local", "c.app.local", "_tcp.api.app.local", "api.app.local" })
        {
            var answer = await AskAsync(name, DnsRecordType.A);
            Assert.Equal(DnsRcode.NoError, answer.Rcode);
            Assert.Empty(answer.Answers);
            Assert.Single(answer.Authority);
        }
        Assert.Equal(DnsRcode.NxDomain, (await AskAsync("x.c.app.local", DnsRecordType.A)).Rcode);
    }

    [Fact]
    public async Task The_apex_answers_its_SOA_and_NS_and_is_NODATA_for_A()
    {
        var soa = await AskAsync("app.local", DnsRecordType.Soa);
        var record = Assert.Single(soa.Answers);
        Assert.Equal(("app.local", 900u, "ns1.app.local hostmaster.app.local 7 7200 900 1209600 30"), (record.Name, record.Ttl, record.Data));
        Assert.Empty(soa.Authority);

        var ns = await AskAsync("app.local", DnsRecordType.Ns);
        Assert.Equal("ns1.app.local", Assert.Single(ns.Answers).Data);

        var a = await AskAsync("app.local", DnsRecordType.A);
        Assert.Equal(DnsRcode.NoError, a.Rcode);
        Assert.Empty(a.Answers);
        Assert.Single(a.Authority);

        var any = await AskAsync("app.local", DnsRecordType.Any);
        Assert.Equal([(ushort)DnsRecordType.Ns, (ushort)DnsRecordType.Soa], any.Answers.Select(r => r.Type).Order());
    }

    [Fact]
    public async Task The_question_is_echoed_in_the_case_asked_and_matched_ignoring_case()
    {
        var answer = await AskAsync("WeB.aPp.LoCaL", DnsRecordType.A);

        Assert.Equal("WeB.aPp.LoCaL", Assert.Single(answer.Questions).Name);
        Assert.Equal(3, answer.Answers.Count);
    }

    [Fact]
    public async Task A_name_outside_every_zone_is_REFUSED_without_upstreams()
    {
        var answer = await AskAsync("example.test", DnsRecordType.A);

        Assert.Equal(DnsRcode.Refused, answer.Rcode);
        Assert.False(answer.HasFlag(DnsWire.FlagAa));
        Assert.Equal("example.test", Assert.Single(answer.Questions).Name);
    }

    [Fact]
    public async Task An_EDNS_query_gets_an_OPT_advertising_1232_and_a_newer_version_gets_BADVERS()
    {
        var answer = await AskAsync("web.app.local", DnsRecordType.A, edns: 4096);
        var opt = Assert.Single(answer.Additional);
        Assert.Equal(((ushort)DnsRecordType.Opt, (ushort)1232), (opt.Type, opt.Class));

        var version1 = new DnsMessage(9, 0, [new DnsQuestion("web.app.local", 1, 1)], [], [], [new DnsResourceRecord("", 41, 1232, 0x00010000, "")]);
        var badvers = await DnsClient.UdpAsync(_server.Endpoint, version1);
        Assert.Empty(badvers.Answers);
        Assert.Equal(0x01000000u, Assert.Single(badvers.Additional).Ttl & 0xFF000000u); // extended RCODE 16 >> 4
    }

    [Fact]
    public async Task An_update_takes_effect_for_the_next_query()
    {
        _server.Update(new DnsCatalog([new DnsZone("app.local", 8, 30, [TestCatalog.A("web.app.local", "192.0.2.9")])]));
        Assert.Equal("192.0.2.9", Assert.Single((await AskAsync("web.app.local", DnsRecordType.A)).Answers).Data);

        _server.Update(DnsCatalog.Empty);
        Assert.Equal(DnsRcode.Refused, (await AskAsync("web.app.local", DnsRecordType.A)).Rcode);
    }

    [Fact]
    public void An_invalid_catalog_is_rejected_and_the_current_one_kept()
    {
        var conflict = new DnsCatalog([new DnsZone("app.local", 1, 30,
        [
            TestCatalog.A("x.app.local", "10.0.0.1"),
            new("x.app.local", DnsRecordType.Cname, 60, DnsRoutingPolicy.Multivalue, [new DnsCname("web.app.local")]),
        ])]);
        Assert.Throws<ArgumentException>(() => _server.Update(conflict));
        var outside = new DnsCatalog([new DnsZone("app.local", 1, 30, [TestCatalog.A("web.other.local", "10.0.0.1")])]);
        Assert.Throws<ArgumentException>(() => _server.Update(outside));
        var ipv6InA = new DnsCatalog([new DnsZone("app.local", 1, 30, [TestCatalog.A("web.app.local", "fd00::1")])]);
        Assert.Throws<ArgumentException>(() => _server.Update(ipv6InA));
    }
}
