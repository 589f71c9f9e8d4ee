using Gantry.Domain.Elbv2;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary>Compiles a rule's conditions (legacy <c>Values</c> or the <c>*Config</c> forms) into matchers.</summary>
internal static class RuleConditions
{
    public static IRequestCondition[] Compile(IReadOnlyList<RuleCondition>? conditions)
    {
        if (conditions is null || conditions.Count == 0)
        {
            return [];
        }

        var compiled = new IRequestCondition[conditions.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            compiled[i] = Compile(conditions[i]);
        }

        return compiled;
    }

    private static IRequestCondition Compile(RuleCondition condition) => condition.Field switch
    {
        "path-pattern" => new PathPatternCondition(condition.PathPatternConfig?.Values ?? condition.Values ?? []),
        "host-header" => new HostHeaderCondition(condition.HostHeaderConfig?.Values ?? condition.Values ?? []),
        "http-header" when condition.HttpHeaderConfig?.HttpHeaderName is { } name =>
            new HttpHeaderCondition(name, condition.HttpHeaderConfig.Values ?? []),
        "http-request-method" => new HttpRequestMethodCondition(condition.HttpRequestMethodConfig?.Values ?? condition.Values ?? []),
        "query-string" => new QueryStringCondition(condition.QueryStringConfig?.Values ?? []),
        "source-ip" => new SourceIpCondition(condition.SourceIpConfig?.Values ?? condition.Values ?? []),
        _ => NeverCondition.Instance,
    };

    /// <summary>A condition this data plane cannot evaluate: its rule never matches rather than catching all traffic.</summary>
    private sealed class NeverCondition : IRequestCondition
    {
        public static readonly NeverCondition Instance = new();

        public bool Matches(Microsoft.AspNetCore.Http.HttpContext context) => false;
    }
}
