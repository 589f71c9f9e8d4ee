using Gantry.Iam.Policies;

namespace Gantry.Api.Authorization;

/// <summary>Who signed a request, as policy evaluation needs them.</summary>
public enum CallerKind
{
    /// <summary>The account root (the root access key): every action is allowed, as for AWS's root user.</summary>
    Root,

    /// <summary>An IAM user's long-term key (AKIA) or a GetSessionToken session of that user (ASIA).</summary>
    User,

    /// <summary>An AssumeRole session (ASIA): the role's policies and the session policy apply.</summary>
    AssumedRole,
}

/// <summary>
/// The principal behind an access key, with what evaluation needs: its ARN (as GetCallerIdentity shows it), its
/// unique id, its tags (aws:PrincipalTag/*) and its identity policies, compiled.
/// </summary>
/// <param name="UserName">The IAM user's name (aws:username); null for roles and the root.</param>
/// <param name="RoleArn">For an assumed role, the role's own ARN (matched by resource policies naming the role).</param>
/// <param name="SessionPolicy">An AssumeRole session policy, which must allow too.</param>
public sealed record Caller(
    CallerKind Kind,
    string Arn,
    string UserId,
    string AccountId,
    string? UserName,
    string? RoleArn,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<CompiledPolicy> Policies,
    CompiledPolicy? SessionPolicy = null)
{
    public RequestPrincipal Principal { get; } = new(Arn, AccountId, RoleArn);

    /// <summary>aws:PrincipalType: Account, User or AssumedRole.</summary>
    public string PrincipalType => Kind switch
    {
        CallerKind.Root => "Account",
        CallerKind.User => "User",
        _ => "AssumedRole",
    };
}
