namespace Gantry.Iam.Policies;

/// <summary>Why <see cref="PolicyEvaluator"/> allowed or denied a request.</summary>
public enum DecisionReason
{
    /// <summary>A statement allowed the request and none denied it.</summary>
    Allowed,

    /// <summary>A matching <c>Deny</c> statement (it wins over every allow).</summary>
    ExplicitDeny,

    /// <summary>No identity-based policy allowed the request (implicit deny).</summary>
    NoIdentityAllow,

    /// <summary>A cross-account request the resource's policy does not allow (implicit deny).</summary>
    NoResourceAllow,

    /// <summary>The identity allowed the request but the session policy does not (implicit deny).</summary>
    NoSessionAllow,
}
