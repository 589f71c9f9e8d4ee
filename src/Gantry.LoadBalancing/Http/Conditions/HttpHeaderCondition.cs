using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary><c>http-header</c>: any value of the named header (name case-insensitive) matches a pattern, case-insensitive.</summary>
internal sealed class HttpHeaderCondition(string name, IReadOnlyList<string> patterns) : IRequestCondition
{
    private readonly WildcardPattern[] _patterns = WildcardPattern.All(patterns, ignoreCase: true);

    public bool Matches(HttpContext context)
    {
        var values = context.Request.Headers[name];
        for (var i = 0; i < values.Count; i++)
        {
            if (WildcardPattern.AnyMatch(_patterns, values[i]))
            {
                return true;
            }
        }

        return false;
    }
}
