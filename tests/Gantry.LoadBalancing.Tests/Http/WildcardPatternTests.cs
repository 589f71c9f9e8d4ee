using Gantry.LoadBalancing.Http.Conditions;

namespace Gantry.LoadBalancing.Tests.Http;

public sealed class WildcardPatternTests
{
    [Theory]
    [InlineData("/api/*", "/api/users", true)]
    [InlineData("/api/*", "/api/", true)]
    [InlineData("/api/*", "/apix", false)]
    [InlineData("/img/?.png", "/img/a.png", true)]
    [InlineData("/img/?.png", "/img/ab.png", false)]
    [InlineData("*.png", "/a/b/c.png", true)]
    [InlineData("/a*b*c", "/axxbyyc", true)]
    [InlineData("/a*b*c", "/axxbyy", false)]
    [InlineData("/exact", "/exact", true)]
    [InlineData("/exact", "/Exact", false)]
    public void Paths_match_case_sensitively_with_star_and_question_mark(string pattern, string path, bool matches) =>
        Assert.Equal(matches, new WildcardPattern(pattern, ignoreCase: false).IsMatch(path));

    [Theory]
    [InlineData("*.example.com", "API.Example.COM", true)]
    [InlineData("api.example.com", "API.EXAMPLE.COM", true)]
    [InlineData("*.example.com", "example.com", false)]
    public void Hosts_match_ignoring_case(string pattern, string host, bool matches) =>
        Assert.Equal(matches, new WildcardPattern(pattern, ignoreCase: true).IsMatch(host));
}
