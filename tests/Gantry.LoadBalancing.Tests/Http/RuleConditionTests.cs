using System.Net;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.Http.Conditions;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Tests.Http;

public sealed class RuleConditionTests
{
    private static bool Matches(RuleCondition condition, Action<HttpContext> request)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/";
        context.Request.Host = new HostString("web.example.com");
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.7");
        request(context);
        return RuleConditions.Compile([condition])[0].Matches(context);
    }

    [Fact]
    public void Path_pattern_matches_the_path_only_and_is_case_sensitive()
    {
        var condition = new RuleCondition { Field = "path-pattern", PathPatternConfig = new() { Values = ["/api/*", "/health"] } };
        Assert.True(Matches(condition, c => c.Request.Path = "/api/users"));
        Assert.True(Matches(condition, c => { c.Request.Path = "/health"; c.Request.QueryString = new QueryString("?x=1"); }));
        Assert.False(Matches(condition, c => c.Request.Path = "/API/users"));
        Assert.False(Matches(condition, c => c.Request.Path = "/other"));
    }

    [Fact]
    public void Legacy_values_work_for_path_and_host()
    {
        Assert.True(Matches(new RuleCondition { Field = "path-pattern", Values = ["/v1/*"] }, c => c.Request.Path = "/v1/x"));
        Assert.True(Matches(new RuleCondition { Field = "host-header", Values = ["*.example.com"] }, _ => { }));
    }

    [Fact]
    public void Host_header_ignores_case_and_port()
    {
        var condition = new RuleCondition { Field = "host-header", HostHeaderConfig = new() { Values = ["api.example.com"] } };
        Assert.True(Matches(condition, c => c.Request.Host = new HostString("API.Example.com:8080")));
        Assert.False(Matches(condition, c => c.Request.Host = new HostString("web.example.com")));
    }

    [Fact]
    public void Http_header_name_and_value_ignore_case_and_values_take_wildcards()
    {
        var condition = new RuleCondition { Field = "http-header", HttpHeaderConfig = new() { HttpHeaderName = "User-Agent", Values = ["*mobile*"] } };
        Assert.True(Matches(condition, c => c.Request.Headers["user-agent"] = "Some MOBILE browser"));
        Assert.False(Matches(condition, c => c.Request.Headers["user-agent"] = "desktop"));
        Assert.False(Matches(condition, _ => { }));
    }

    [Fact]
    public void Method_is_exact()
    {
        var condition = new RuleCondition { Field = "http-request-method", HttpRequestMethodConfig = new() { Values = ["POST", "PUT"] } };
        Assert.True(Matches(condition, c => c.Request.Method = "PUT"));
        Assert.False(Matches(condition, c => c.Request.Method = "GET"));
    }

    [Fact]
    public void Query_string_pairs_match_keys_and_values_ignoring_case()
    {
        var condition = new RuleCondition
        {
            Field = "query-string",
            QueryStringConfig = new() { Values = [new() { Key = "version", Value = "v2*" }, new() { Value = "beta" }] },
        };
        Assert.True(Matches(condition, c => c.Request.QueryString = new QueryString("?a=1&VERSION=V2.1")));
        Assert.True(Matches(condition, c => c.Request.QueryString = new QueryString("?channel=BETA")));
        Assert.False(Matches(condition, c => c.Request.QueryString = new QueryString("?version=v1")));
        Assert.False(Matches(condition, _ => { }));
    }

    [Fact]
    public void Source_ip_uses_the_connection_address_not_forwarded_for()
    {
        var condition = new RuleCondition { Field = "source-ip", SourceIpConfig = new() { Values = ["10.0.0.0/24", "2001:db8::/32"] } };
        Assert.True(Matches(condition, _ => { }));
        Assert.True(Matches(condition, c => c.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.7").MapToIPv6()));
        Assert.True(Matches(condition, c => c.Connection.RemoteIpAddress = IPAddress.Parse("2001:db8::1")));
        Assert.False(Matches(condition, c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse("192.168.1.1");
            c.Request.Headers["X-Forwarded-For"] = "10.0.0.7";
        }));
    }

    [Fact]
    public void A_source_ip_block_that_does_not_parse_matches_nothing() =>
        Assert.False(Matches(new RuleCondition { Field = "source-ip", SourceIpConfig = new() { Values = ["10.0.0.0/99"] } }, _ => { }));

    [Fact]
    public void An_unknown_field_never_matches() =>
        Assert.False(Matches(new RuleCondition { Field = "weather" }, _ => { }));
}
