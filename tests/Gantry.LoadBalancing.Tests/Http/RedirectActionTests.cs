using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.Http.Actions;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Tests.Http;

public sealed class RedirectActionTests
{
    private static string Location(RedirectActionConfig config, string path = "/a/b", string query = "?x=1", int port = 80)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("web.example.com", port);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return new RedirectAction(config).Location(context.Request, port);
    }

    [Fact]
    public void Http_to_https_keeps_host_path_and_query_and_drops_the_default_port() =>
        Assert.Equal("https://web.example.com/a/b?x=1", Location(new RedirectActionConfig { Protocol = "HTTPS", Port = "443", StatusCode = "HTTP_301" }));

    [Fact]
    public void Placeholders_fill_from_the_request() =>
        Assert.Equal("http://other.example.com:8080/new/a/b?from=web.example.com&x=1",
            Location(new RedirectActionConfig { Host = "other.example.com", Port = "8080", Path = "/new/#{path}", Query = "from=#{host}&#{query}", StatusCode = "HTTP_302" }));

    [Fact]
    public void A_listener_port_that_is_not_default_is_kept() =>
        Assert.Equal("http://web.example.com:8081/a/b", Location(new RedirectActionConfig { StatusCode = "HTTP_302" }, query: "", port: 8081));
}
