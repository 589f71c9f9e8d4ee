using System.Net;
using Gantry.Domain.Elbv2;

namespace Gantry.LoadBalancing.Tests.Http;

public sealed class ListenerRoutingTests
{
    [Fact]
    public async Task Rules_route_by_priority_and_the_default_answers_the_rest()
    {
        await using var proxy = new ProxyHarness();
        var api = await proxy.TargetAsync("api");
        var rules = new[]
        {
            Snapshots.Rule(10, [new RuleCondition { Field = "path-pattern", PathPatternConfig = new() { Values = ["/api/*"] } }], Snapshots.Forward("api")),
            Snapshots.Rule(20, [new RuleCondition { Field = "path-pattern", Values = ["/api/*"] }], Snapshots.Fixed("500", "shadowed")),
            Snapshots.Rule(30, [
                new RuleCondition { Field = "http-request-method", HttpRequestMethodConfig = new() { Values = ["POST"] } },
                new RuleCondition { Field = "path-pattern", Values = ["/form"] },
            ], Snapshots.Fixed("201", "posted")),
            Snapshots.Rule(40, [new RuleCondition { Field = "path-pattern", Values = ["/old/*"] }],
                new ElbAction { Type = "redirect", RedirectConfig = new() { Path = "/new/#{path}", StatusCode = "HTTP_301" } }),
        };
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("404", "nothing here")], rules)],
            Snapshots.Group("api", [api.View()])));

        Assert.Equal("api", await proxy.GetTargetAsync("/api/users"));

        using var posted = await proxy.Client.PostAsync(proxy.Url("/form"), new StringContent("x"));
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal("posted", await posted.Content.ReadAsStringAsync());

        using var got = await proxy.Client.GetAsync(proxy.Url("/form"));
        Assert.Equal(HttpStatusCode.NotFound, got.StatusCode);
        Assert.Equal("nothing here", await got.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", got.Content.Headers.ContentType?.MediaType);

        using var moved = await proxy.Client.GetAsync(proxy.Url("/old/page?q=1"));
        Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
        Assert.Equal($"http://127.0.0.1:{proxy.Port}/new/old/page?q=1", moved.Headers.Location?.ToString());
    }

    [Fact]
    public async Task New_rules_apply_to_an_open_listener_without_reopening_it()
    {
        await using var proxy = new ProxyHarness();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "first")])]));
        Assert.Equal("first", await proxy.Client.GetStringAsync(proxy.Url()));

        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "second")])]));
        Assert.Equal("second", await proxy.Client.GetStringAsync(proxy.Url()));
    }

    [Fact]
    public async Task A_listener_removed_from_the_snapshot_stops_listening()
    {
        await using var proxy = new ProxyHarness();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "up")])]));
        Assert.Equal("up", await proxy.Client.GetStringAsync(proxy.Url()));

        await proxy.ApplyAsync(Snapshots.Of([]));
        Assert.Empty(proxy.Set.OpenEndpoints);
        using var fresh = Snapshots.Client();
        await WaitFor.ConditionAsync(async () =>
        {
            try
            {
                using var _ = await fresh.GetAsync(proxy.Url());
                return false;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        });
    }

    [Fact]
    public async Task A_removed_listener_lets_its_request_in_flight_finish()
    {
        await using var proxy = new ProxyHarness();
        var target = await proxy.TargetAsync("a");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])], Snapshots.Group("web", [target.View()])));
        var slow = proxy.Client.GetAsync(proxy.Url("/slow"));
        await target.SlowArrived.WaitAsync(TimeSpan.FromSeconds(10));

        await proxy.ApplyAsync(Snapshots.Of([], Snapshots.Group("web", [target.View()])));
        target.ReleaseSlow();

        using var done = await slow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("a", await done.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_listener_whose_protocol_changes_is_reopened_on_the_same_port()
    {
        await using var proxy = new ProxyHarness();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "plain")])]));
        Assert.Equal("plain", await proxy.Client.GetStringAsync(proxy.Url()));

        var certificate = ForwardingTests.SelfSigned();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "tls")], certificate: certificate)]));

        using var https = ForwardingTests.TrustingOnly(certificate);
        Assert.Equal("tls", await https.GetStringAsync(new Uri($"https://127.0.0.1:{proxy.Port}/")));
        Assert.Single(proxy.Set.OpenEndpoints);
    }

    [Fact]
    public async Task An_https_listener_with_an_unreadable_certificate_stays_closed_and_the_others_open()
    {
        await using var proxy = new ProxyHarness();
        var broken = new Gantry.LoadBalancing.State.ListenerCertificate("arn:aws:iam::000000000000:server-certificate/bad", "not a pem", null, "not a key");
        var other = Snapshots.FreePort();
        await proxy.ApplyAsync(Snapshots.Of([
            Snapshots.Listener(proxy.Port, [Snapshots.Fixed("200", "tls")], certificate: broken),
            Snapshots.Listener(other, [Snapshots.Fixed("200", "plain")]),
        ]));

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, other)], proxy.Set.OpenEndpoints);
        Assert.Equal("plain", await proxy.Client.GetStringAsync(new Uri($"http://127.0.0.1:{other}/")));
    }

    [Fact]
    public async Task A_forward_to_a_group_without_routable_targets_answers_503()
    {
        await using var proxy = new ProxyHarness();
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("empty")])], Snapshots.Group("empty", [])));

        using var response = await proxy.Client.GetAsync(proxy.Url());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("503 Service Temporarily Unavailable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
