using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary><c>path-pattern</c>: the request path (no query), case-sensitive, with wildcards.</summary>
internal sealed class PathPatternCondition(IReadOnlyList<string> patterns) : IRequestCondition
{
    private readonly WildcardPattern[] _patterns = WildcardPattern.All(patterns, ignoreCase: false);

    public bool Matches(HttpContext context)
    {
        var path = context.Request.Path.Value;
        return WildcardPattern.AnyMatch(_patterns, string.IsNullOrEmpty(path) ? "/" : path);
    }
}
