using Gantry.Domain.Elbv2;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary>
/// <c>query-string</c>: some query parameter matches one of the key/value pairs (key and value case-insensitive,
/// with wildcards; a pair without a key matches any parameter's value).
/// </summary>
internal sealed class QueryStringCondition : IRequestCondition
{
    private readonly (WildcardPattern? Key, WildcardPattern Value)[] _pairs;

    public QueryStringCondition(IReadOnlyList<QueryStringKeyValuePair> pairs)
    {
        _pairs = new (WildcardPattern?, WildcardPattern)[pairs.Count];
        for (var i = 0; i < _pairs.Length; i++)
        {
            var key = pairs[i].Key;
            _pairs[i] = (key is null ? null : new WildcardPattern(key, ignoreCase: true), new WildcardPattern(pairs[i].Value ?? "", ignoreCase: true));
        }
    }

    public bool Matches(HttpContext context)
    {
        if (!context.Request.QueryString.HasValue)
        {
            return false;
        }

        foreach (var parameter in context.Request.Query)
        {
            for (var p = 0; p < _pairs.Length; p++)
            {
                var (key, value) = _pairs[p];
                if (key is not null && !key.IsMatch(parameter.Key))
                {
                    continue;
                }

                for (var v = 0; v < parameter.Value.Count; v++)
                {
                    if (value.IsMatch(parameter.Value[v]))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
