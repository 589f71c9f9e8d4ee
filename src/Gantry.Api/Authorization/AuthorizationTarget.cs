namespace Gantry.Api.Authorization;

/// <summary>
/// One resource a request acts on, as the service authorization reference names it: its ARN ("*" for actions without
/// resource-level permissions), the resource's own policy (an ECR repository policy), its tags (aws:ResourceTag/*)
/// and the service's condition keys for it (e.g. ecs:cluster).
/// </summary>
public sealed record AuthorizationTarget(
    string Resource,
    string? ResourcePolicy = null,
    IReadOnlyList<KeyValuePair<string, string>>? ResourceTags = null,
    IReadOnlyList<KeyValuePair<string, string>>? Keys = null)
{
    public static AuthorizationTarget Any { get; } = new("*");

    public static IReadOnlyList<AuthorizationTarget> AnyResource { get; } = [Any];
}
