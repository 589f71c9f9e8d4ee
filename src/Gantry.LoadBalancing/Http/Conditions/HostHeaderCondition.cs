using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary><c>host-header</c>: the Host header without its port, case-insensitive, with wildcards.</summary>
internal sealed class HostHeaderCondition(IReadOnlyList<string> patterns) : IRequestCondition
{
    private readonly WildcardPattern[] _patterns = WildcardPattern.All(patterns, ignoreCase: true);

    public bool Matches(HttpContext context) => WildcardPattern.AnyMatch(_patterns, HostName(context.Request.Host.Value));

    /// <summary>The host part of a Host header value: "[::1]:80" gives "[::1]", "a.example.com:8080" gives "a.example.com".</summary>
    public static ReadOnlySpan<char> HostName(string? host)
    {
        var span = host.AsSpan();
        var colon = span.LastIndexOf(':');
        if (colon < 0 || span.LastIndexOf(']') > colon)
        {
            return span;
        }

        return span[..colon];
    }
}
