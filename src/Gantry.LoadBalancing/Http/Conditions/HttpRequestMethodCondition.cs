using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary><c>http-request-method</c>: the method exactly, case-sensitive, no wildcards.</summary>
internal sealed class HttpRequestMethodCondition(IReadOnlyList<string> methods) : IRequestCondition
{
    private readonly string[] _methods = [.. methods];

    public bool Matches(HttpContext context)
    {
        var method = context.Request.Method;
        for (var i = 0; i < _methods.Length; i++)
        {
            if (string.Equals(method, _methods[i], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
