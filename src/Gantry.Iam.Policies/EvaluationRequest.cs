namespace Gantry.Iam.Policies;

/// <summary>One authorization question: may the principal perform <paramref name="Action"/> on
/// <paramref name="Resource"/> with these condition keys.</summary>
/// <param name="Action">"service:Operation", e.g. "ecs:RunTask" (matched case-insensitively).</param>
/// <param name="Resource">The resource ARN, or "*" for operations without one (ecs:ListClusters).</param>
/// <param name="Context">The request's condition keys; also the values of policy variables.</param>
public sealed record EvaluationRequest(string Action, string Resource, RequestContext Context)
{
    /// <summary>The caller, for resource-based policies' Principal; null when only identity policies apply.</summary>
    public RequestPrincipal? Principal { get; init; }

    /// <summary>The account owning the resource. When it differs from the caller's, the request is cross-account:
    /// the resource's policy and the caller's identity policies must both allow.</summary>
    public string? ResourceAccountId { get; init; }
}
