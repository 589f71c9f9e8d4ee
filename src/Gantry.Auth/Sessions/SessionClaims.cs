namespace Gantry.Auth.Sessions;

/// <summary>
/// What a temporary credential stands for, carried sealed inside its session token (nothing is stored per session):
/// an AssumeRole session of a role, or a GetSessionToken session of an IAM user (or the account root).
/// </summary>
/// <param name="AccessKeyId">The ASIA key the token belongs to (the token opens only with it).</param>
/// <param name="RoleName">The assumed role's name; null for a GetSessionToken session.</param>
/// <param name="SessionName">The AssumeRole RoleSessionName.</param>
/// <param name="UserName">For GetSessionToken, the user whose session it is ("root" stays out: the root key's session is <paramref name="Root"/>).</param>
/// <param name="SessionPolicy">An AssumeRole session policy, which narrows the role's permissions.</param>
/// <param name="Tags">Session tags (aws:PrincipalTag/* over the role's own tags).</param>
/// <param name="Root">A GetSessionToken session of the account root.</param>
public sealed record SessionClaims(
    string AccessKeyId,
    DateTimeOffset Expiration,
    string? RoleName = null,
    string? SessionName = null,
    string? UserName = null,
    string? SessionPolicy = null,
    IReadOnlyDictionary<string, string>? Tags = null,
    bool Root = false);
