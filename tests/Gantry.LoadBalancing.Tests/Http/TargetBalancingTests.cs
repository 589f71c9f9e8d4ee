using System.Net;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tests.Http;

public sealed class TargetBalancingTests
{
    [Fact]
    public async Task Round_robin_spreads_requests_evenly_across_three_targets()
    {
        await using var proxy = new ProxyHarness();
        var targets = new[] { await proxy.TargetAsync("a"), await proxy.TargetAsync("b"), await proxy.TargetAsync("c") };
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])],
            Snapshots.Group("web", [.. targets.Select(t => t.View())])));

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 30; i++)
        {
            var name = await proxy.GetTargetAsync();
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.Equal(new Dictionary<string, int> { ["a"] = 10, ["b"] = 10, ["c"] = 10 }, counts);
    }

    [Fact]
    public async Task Slow_start_weights_and_unroutable_targets_shape_the_round_robin()
    {
        await using var proxy = new ProxyHarness();
        var a = await proxy.TargetAsync("a");
        var b = await proxy.TargetAsync("b");
        var c = await proxy.TargetAsync("c");
        proxy.Health.Set(b.View().Key, new TargetRoute(true, 0.25));
        proxy.Health.Set(c.View().Key, TargetRoute.Excluded);
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])],
            Snapshots.Group("web", [a.View(), b.View(), c.View()])));

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < 20; i++)
        {
            var name = await proxy.GetTargetAsync();
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        Assert.Equal(new Dictionary<string, int> { ["a"] = 16, ["b"] = 4 }, counts);
    }

    [Fact]
    public async Task Weighted_forward_splits_by_weight_and_AWSALBTG_keeps_a_client_on_its_group()
    {
        await using var proxy = new ProxyHarness();
        var blue = await proxy.TargetAsync("blue");
        var green = await proxy.TargetAsync("green");
        var forward = new ElbAction
        {
            Type = "forward",
            ForwardConfig = new ForwardActionConfig
            {
                TargetGroups = [new() { TargetGroupArn = Snapshots.GroupArn("blue"), Weight = 3 }, new() { TargetGroupArn = Snapshots.GroupArn("green"), Weight = 1 }],
                TargetGroupStickinessConfig = new TargetGroupStickinessConfig { Enabled = true, DurationSeconds = 600 },
            },
        };
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [forward])],
            Snapshots.Group("blue", [blue.View()]), Snapshots.Group("green", [green.View()])));

        var counts = new Dictionary<string, int>();
        string? greenCookie = null;
        for (var i = 0; i < 40; i++)
        {
            using var response = await proxy.Client.GetAsync(proxy.Url());
            var name = response.Headers.GetValues("X-Target").Single();
            counts[name] = counts.GetValueOrDefault(name) + 1;
            var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("AWSALBTG=", StringComparison.Ordinal));
            Assert.Contains("Path=/", cookie, StringComparison.Ordinal);
            if (name == "green")
            {
                greenCookie = cookie.Split(';')[0];
            }
        }

        Assert.Equal(new Dictionary<string, int> { ["blue"] = 30, ["green"] = 10 }, counts);
        Assert.Equal("AWSALBTG=green/0123456789abcdef", greenCookie);
        for (var i = 0; i < 8; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url());
            request.Headers.Add("Cookie", greenCookie);
            using var response = await proxy.Client.SendAsync(request);
            Assert.Equal("green", response.Headers.GetValues("X-Target").Single());
        }
    }

    [Fact]
    public async Task Lb_cookie_stickiness_keeps_a_client_on_its_target_while_it_is_routable()
    {
        await using var proxy = new ProxyHarness();
        var a = await proxy.TargetAsync("a");
        var b = await proxy.TargetAsync("b");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])],
            Snapshots.Group("web", [a.View(), b.View()], ("stickiness.enabled", "true"), ("stickiness.type", "lb_cookie"),
                ("stickiness.lb_cookie.duration_seconds", "120"))));

        using var first = await proxy.Client.GetAsync(proxy.Url());
        var pinnedTo = first.Headers.GetValues("X-Target").Single();
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("AWSALB=", StringComparison.Ordinal)).Split(';')[0];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(pinnedTo, await SendWithCookieAsync(proxy, cookie));
        }

        var pinned = pinnedTo == "a" ? a : b;
        proxy.Health.Set(pinned.View().Key, TargetRoute.Excluded);
        Assert.NotEqual(pinnedTo, await SendWithCookieAsync(proxy, cookie));
    }

    [Fact]
    public async Task App_cookie_stickiness_binds_once_the_application_sets_its_cookie()
    {
        await using var proxy = new ProxyHarness();
        var a = await proxy.TargetAsync("a");
        var b = await proxy.TargetAsync("b");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])],
            Snapshots.Group("web", [a.View(), b.View()], ("stickiness.enabled", "true"), ("stickiness.type", "app_cookie"),
                ("stickiness.app_cookie.cookie_name", "session"))));

        using var plain = await proxy.Client.GetAsync(proxy.Url());
        Assert.DoesNotContain(plain.Headers.TryGetValues("Set-Cookie", out var none) ? none : [], c => c.StartsWith("AWSALBAPP", StringComparison.Ordinal));

        using var first = await proxy.Client.GetAsync(proxy.Url("/?set-app-cookie=1"));
        var pinnedTo = first.Headers.GetValues("X-Target").Single();
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("AWSALBAPP-0=", StringComparison.Ordinal)).Split(';')[0];
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(pinnedTo, await SendWithCookieAsync(proxy, cookie));
        }
    }

    [Fact]
    public async Task Least_outstanding_requests_avoids_the_busy_target()
    {
        await using var proxy = new ProxyHarness();
        var a = await proxy.TargetAsync("a");
        var b = await proxy.TargetAsync("b");
        await proxy.ApplyAsync(Snapshots.Of([Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")])],
            Snapshots.Group("web", [a.View(), b.View()], ("load_balancing.algorithm.type", "least_outstanding_requests"))));

        using var slowClient = Snapshots.Client();
        var slow = slowClient.GetAsync(proxy.Url("/slow"));
        var busy = await Task.WhenAny(a.SlowArrived, b.SlowArrived).WaitAsync(TimeSpan.FromSeconds(10)) == a.SlowArrived ? a : b;
        for (var i = 0; i < 6; i++)
        {
            Assert.NotEqual(busy.Name, await proxy.GetTargetAsync());
        }

        busy.ReleaseSlow();
        using var done = await slow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Fact]
    public async Task A_draining_target_takes_no_new_requests_while_its_slow_request_completes()
    {
        await using var proxy = new ProxyHarness();
        var old = await proxy.TargetAsync("old");
        var replacement = await proxy.TargetAsync("new");
        var listener = Snapshots.Listener(proxy.Port, [Snapshots.Forward("web")]);
        await proxy.ApplyAsync(Snapshots.Of([listener], Snapshots.Group("web", [old.View()])));

        using var slowClient = Snapshots.Client();
        var slow = slowClient.GetAsync(proxy.Url("/slow"));
        await old.SlowArrived.WaitAsync(TimeSpan.FromSeconds(10));

        await proxy.ApplyAsync(Snapshots.Of([listener], Snapshots.Group("web", [old.View(DateTimeOffset.UtcNow), replacement.View()])));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("new", await proxy.GetTargetAsync());
        }

        Assert.False(slow.IsCompleted);
        old.ReleaseSlow();
        using var done = await slow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("old", await done.Content.ReadAsStringAsync());
    }

    private static async Task<string> SendWithCookieAsync(ProxyHarness proxy, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, proxy.Url());
        request.Headers.Add("Cookie", cookie);
        using var response = await proxy.Client.SendAsync(request);
        return response.Headers.GetValues("X-Target").Single();
    }
}
