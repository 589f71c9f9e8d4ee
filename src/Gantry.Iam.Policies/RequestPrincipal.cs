namespace Gantry.Iam.Policies;

/// <summary>Who makes the request, for matching the Principal of resource-based policies.</summary>
/// <param name="Arn">The caller's ARN as GetCallerIdentity returns it: <c>arn:aws:iam::&lt;a&gt;:user/&lt;name&gt;</c>,
/// <c>arn:aws:sts::&lt;a&gt;:assumed-role/&lt;role&gt;/&lt;session&gt;</c> or <c>arn:aws:iam::&lt;a&gt;:root</c>.</param>
/// <param name="AccountId">The caller's account.</param>
/// <param name="RoleArn">For a role session, the role's own ARN (<c>arn:aws:iam::&lt;a&gt;:role/&lt;role&gt;</c>).</param>
/// <param name="ServiceName">For an AWS service principal, its name (e.g. <c>ecs-tasks.amazonaws.com</c>).</param>
public sealed record RequestPrincipal(string Arn, string AccountId, string? RoleArn = null, string? ServiceName = null);
