using Gantry.Dns.Tests.Tools;

namespace Gantry.Dns.Tests.Server;

/// <summary>The real <c>dig</c> against this server: what an operator sees must look like BIND's or dnsmasq's answers.</summary>
public class DigTests
{
    private const string Soa = "app.local.\t\t30\tIN\tSOA\tns1.app.local. hostmaster.app.local. 7 7200 900 1209600 30";

    private static string Line(string output, string prefix) =>
        output.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? $"(no line {prefix} in:\n{output})";

    [RequiresToolFact("dig", "dnsmasq")]
    public async Task Dig_sees_NXDOMAIN_NODATA_and_a_forwarded_answer()
    {
        await using var dnsmasq = await Dnsmasq.StartAsync();
        await using var server = await TestServer.StartAsync(upstreams: [dnsmasq.Endpoint]);
        Task<string> Dig(params string[] query) => DigAt(server.Endpoint.Port, query);
        static Task<string> DigAt(int port, params string[] query) =>
            ExternalTool.RunAsync("dig", ["@127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "+tries=1", "+time=5", .. query]);

        var nxdomain = await Dig("nope.app.local", "A");
        Assert.Contains("status: NXDOMAIN", nxdomain, StringComparison.Ordinal);
        Assert.Contains(";; flags: qr aa rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1", nxdomain, StringComparison.Ordinal);
        Assert.Contains($";; AUTHORITY SECTION:\n{Soa}", nxdomain, StringComparison.Ordinal);

        var nodata = await Dig("api-1.app.local", "AAAA");
        Assert.Contains("status: NOERROR", nodata, StringComparison.Ordinal);
        Assert.Contains(";; flags: qr aa rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1", nodata, StringComparison.Ordinal);
        Assert.Contains($";; AUTHORITY SECTION:\n{Soa}", nodata, StringComparison.Ordinal);

        // Forwarded answers are dnsmasq's own, flags and all (dnsmasq sets aa for its --address names).
        var forwarded = await Dig("www.example.test", "A");
        var direct = await DigAt(dnsmasq.Endpoint.Port, "www.example.test", "A");
        Assert.Contains("status: NOERROR", forwarded, StringComparison.Ordinal);
        Assert.Equal(Line(direct, ";; flags:"), Line(forwarded, ";; flags:"));
        Assert.Contains("www.example.test.\t0\tIN\tA\t192.0.2.7", forwarded, StringComparison.Ordinal);
        var nxForwarded = await Dig("www.nx.test", "A");
        Assert.Contains("status: NXDOMAIN", nxForwarded, StringComparison.Ordinal);
        Assert.Equal(Line(await DigAt(dnsmasq.Endpoint.Port, "www.nx.test", "A"), ";; flags:"), Line(nxForwarded, ";; flags:"));

        var answer = await Dig("web.app.local", "A", "+noedns");
        Assert.Contains(";; flags: qr aa rd ra; QUERY: 1, ANSWER: 3, AUTHORITY: 0, ADDITIONAL: 0", answer, StringComparison.Ordinal);
    }
}
