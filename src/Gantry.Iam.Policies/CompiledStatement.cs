using Gantry.Iam.Policies.Conditions;
using Gantry.Iam.Policies.Matching;

namespace Gantry.Iam.Policies;

/// <summary>One statement, ready to match: actions pre-split and lowercased, resources with their shapes and
/// variables, the principal set (resource-based policies) and the conditions (all must hold).</summary>
internal sealed class CompiledStatement(
    bool deny,
    string? sid,
    ActionPattern[] actions,
    bool notAction,
    ResourcePattern[]? resources,
    bool notResource,
    PrincipalSet? principals,
    CompiledCondition[] conditions)
{
    public bool IsDeny => deny;

    public string? Sid => sid;

    public IReadOnlyList<ActionPattern> Actions => actions;

    public bool IsNotAction => notAction;

    /// <summary>Action, resource and conditions match (the principal is asked separately).</summary>
    public bool AppliesTo(ReadOnlySpan<char> service, ReadOnlySpan<char> name, EvaluationRequest request)
    {
        if (AnyAction(service, name) == notAction)
        {
            return false;
        }

        if (resources is not null && AnyResource(request) == notResource)
        {
            return false;
        }

        foreach (CompiledCondition condition in conditions)
        {
            if (!condition.Evaluate(request.Context))
            {
                return false;
            }
        }

        return true;
    }

    public PrincipalMatch MatchPrincipal(RequestPrincipal? caller) =>
        principals?.Match(caller) ?? PrincipalMatch.Direct;

    private bool AnyAction(ReadOnlySpan<char> service, ReadOnlySpan<char> name)
    {
        foreach (ActionPattern action in actions)
        {
            if (action.Matches(service, name))
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyResource(EvaluationRequest request)
    {
        foreach (ResourcePattern resource in resources!)
        {
            if (resource.Matches(request.Resource, request.Context))
            {
                return true;
            }
        }

        return false;
    }
}
