using Gantry.Iam.Policies.Matching;

namespace Gantry.Iam.Policies;

/// <summary>
/// IAM's decision for one request (single account, no SCPs or permissions boundaries):
/// <list type="number">
/// <item>an applicable Deny in any policy → denied (explicit deny; identity, then resource, then session);</item>
/// <item>same account: a resource-based Allow naming the caller itself (user or session ARN, "*") → allowed;</item>
/// <item>no identity-based Allow (nor a resource-based one naming the caller's role) → denied (implicit);</item>
/// <item>with a session policy, it must allow too → else denied (implicit, "session");</item>
/// <item>cross-account (<see cref="EvaluationRequest.ResourceAccountId"/> differs): the resource policy must allow
/// (naming the account is enough) and the identity policies as well.</item>
/// </list>
/// Allocates nothing per call beyond what a very long policy variable needs.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Evaluates <paramref name="request"/> against the caller's identity policies (user, its groups, or
    /// role; inline and managed), its session policy if any, and the resource's policies.</summary>
    public static Decision Evaluate(EvaluationRequest request, IReadOnlyList<CompiledPolicy> identity,
        CompiledPolicy? session, IReadOnlyList<CompiledPolicy> resource)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(resource);
        ReadOnlySpan<char> action = request.Action;
        int colon = action.IndexOf(':');
        ReadOnlySpan<char> service = colon < 0 ? default : action[..colon];
        ReadOnlySpan<char> name = colon < 0 ? action : action[(colon + 1)..];

        CompiledStatement? identityAllow = null;
        for (int i = 0; i < identity.Count; i++)
        {
            PolicyMatch match = identity[i].Match(service, name, request);
            if (match.Deny is not null)
            {
                return Denied(DecisionReason.ExplicitDeny, PolicyType.IdentityBased, match.Deny);
            }

            identityAllow ??= match.Allow;
        }

        PolicyMatch resourceAllow = default;
        for (int i = 0; i < resource.Count; i++)
        {
            PolicyMatch match = resource[i].Match(service, name, request);
            if (match.Deny is not null)
            {
                return Denied(DecisionReason.ExplicitDeny, PolicyType.ResourceBased, match.Deny);
            }

            if (match.Principal > resourceAllow.Principal)
            {
                resourceAllow = match;
            }
        }

        PolicyMatch sessionMatch = session?.Match(service, name, request) ?? default;
        if (sessionMatch.Deny is not null)
        {
            return Denied(DecisionReason.ExplicitDeny, PolicyType.Session, sessionMatch.Deny);
        }

        bool crossAccount = request.ResourceAccountId is not null && request.Principal is not null
            && !string.Equals(request.ResourceAccountId, request.Principal.AccountId, StringComparison.Ordinal);
        if (crossAccount && resourceAllow.Allow is null)
        {
            return new Decision(DecisionReason.NoResourceAllow, PolicyType.ResourceBased);
        }

        if (!crossAccount && resourceAllow.Principal == PrincipalMatch.Direct)
        {
            return new Decision(DecisionReason.Allowed, PolicyType.ResourceBased, resourceAllow.Allow!.Sid);
        }

        bool roleNamed = !crossAccount && resourceAllow.Principal == PrincipalMatch.Role;
        if (identityAllow is null && !roleNamed)
        {
            return new Decision(DecisionReason.NoIdentityAllow, PolicyType.IdentityBased);
        }

        if (session is not null && sessionMatch.Allow is null)
        {
            return new Decision(DecisionReason.NoSessionAllow, PolicyType.Session);
        }

        return identityAllow is not null
            ? new Decision(DecisionReason.Allowed, PolicyType.IdentityBased, identityAllow.Sid)
            : new Decision(DecisionReason.Allowed, PolicyType.ResourceBased, resourceAllow.Allow!.Sid);
    }

    /// <summary>
    /// sts:AssumeRole against a role's trust policy: the trust policy must allow the caller (a deny in it wins); naming the
    /// caller itself grants on its own, naming only the caller's account delegates to the caller's identity policies.
    /// </summary>
    public static Decision EvaluateTrust(EvaluationRequest request, IReadOnlyList<CompiledPolicy> identity, CompiledPolicy? session, CompiledPolicy trust)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(trust);
        ReadOnlySpan<char> action = request.Action;
        int colon = action.IndexOf(':');
        PolicyMatch match = trust.Match(colon < 0 ? default : action[..colon], colon < 0 ? action : action[(colon + 1)..], request);
        if (match.Deny is not null)
        {
            return Denied(DecisionReason.ExplicitDeny, PolicyType.ResourceBased, match.Deny);
        }

        return match.Allow is null ? new Decision(DecisionReason.NoResourceAllow, PolicyType.ResourceBased) : Evaluate(request, identity, session, [trust]);
    }

    private static Decision Denied(DecisionReason reason, PolicyType type, CompiledStatement statement) =>
        new(reason, type, statement.Sid);
}
