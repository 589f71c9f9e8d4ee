using Gantry.LoadBalancing.Http.Actions;
using Gantry.LoadBalancing.Http.Conditions;
using Gantry.LoadBalancing.State;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http;

/// <summary>
/// One listener's rules compiled for one snapshot: evaluated lowest priority first, every condition of a rule must
/// hold, and the default actions answer what no rule matched. Immutable; a listener swaps in a new one per snapshot.
/// </summary>
internal sealed class ListenerRouter
{
    private readonly CompiledRule[] _rules;
    private readonly IRuleAction _default;

    private ListenerRouter(CompiledRule[] rules, IRuleAction defaultAction)
    {
        _rules = rules;
        _default = defaultAction;
    }

    public static ListenerRouter Compile(ListenerView listener, RuleActions actions)
    {
        var rules = new CompiledRule[listener.Rules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = listener.Rules[i];
            rules[i] = new CompiledRule(RuleConditions.Compile(rule.Conditions), actions.Compile(rule.Actions));
        }

        return new ListenerRouter(rules, actions.Compile(listener.Listener.DefaultActions));
    }

    public Task HandleAsync(HttpContext context) => Route(context).ExecuteAsync(context);

    public IRuleAction Route(HttpContext context)
    {
        var rules = _rules;
        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i].Matches(context))
            {
                return rules[i].Action;
            }
        }

        return _default;
    }

    private sealed record CompiledRule(IRequestCondition[] Conditions, IRuleAction Action)
    {
        public bool Matches(HttpContext context)
        {
            var conditions = Conditions;
            for (var i = 0; i < conditions.Length; i++)
            {
                if (!conditions[i].Matches(context))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
