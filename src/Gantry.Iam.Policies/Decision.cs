namespace Gantry.Iam.Policies;

/// <summary>The outcome of one evaluation.</summary>
/// <param name="Reason">Why: allowed, an explicit deny, or which kind of policy had no allow.</param>
/// <param name="DecidingPolicy">The kind of policy that decided: the one holding the deny, the one that lacked an
/// allow, or the one whose allow granted the request.</param>
/// <param name="StatementId">The <c>Sid</c> of the deciding statement when one decided and it has a Sid.</param>
public readonly record struct Decision(DecisionReason Reason, PolicyType DecidingPolicy, string? StatementId = null)
{
    /// <summary>True when the request may proceed.</summary>
    public bool Allowed => Reason == DecisionReason.Allowed;

    /// <summary>AWS's AccessDenied message for this decision, e.g. "User: arn:aws:iam::123456789012:user/ana is not
    /// authorized to perform: ecs:RunTask on resource: arn:…:task-definition/web:3 because no identity-based policy
    /// allows the ecs:RunTask action". <paramref name="resource"/> null leaves out the "on resource:" clause.</summary>
    public string AccessDeniedMessage(string principalArn, string action, string? resource)
    {
        if (Allowed)
        {
            throw new InvalidOperationException("The request was allowed.");
        }

        string on = resource is null ? "" : $" on resource: {resource}";
        string type = DecidingPolicy.WireName();
        string why = Reason == DecisionReason.ExplicitDeny
            ? $"with an explicit deny in {(type[0] == 'i' ? "an" : "a")} {type} policy"
            : $"because no {type} policy allows the {action} action";
        return $"User: {principalArn} is not authorized to perform: {action}{on} {why}";
    }
}
