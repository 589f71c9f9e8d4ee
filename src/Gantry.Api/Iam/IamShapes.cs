using Gantry.Domain.Iam;
using Gantry.Iam;

namespace Gantry.Api.Iam;

/// <summary>Stored IAM records as the wire shapes IAM answers with. Policy documents go out URL-encoded, as IAM sends them.</summary>
public static class IamShapes
{
    public static string Encode(string document) => Uri.EscapeDataString(document);

    /// <summary>Permissions boundaries are not enforced, so one is refused rather than silently dropped.</summary>
    public static void NoBoundary(string? permissionsBoundary)
    {
        if (permissionsBoundary is not null)
        {
            throw IamErrors.InvalidInput("Permissions boundaries are not supported by Gantry.");
        }
    }

    public static IReadOnlyList<IamTagValue> Tags(IReadOnlyList<IamTag>? tags) =>
        [.. (tags ?? []).Select(t => new IamTagValue(t.Key ?? throw IamErrors.Missing("tags.member.key"), t.Value ?? throw IamErrors.Missing("tags.member.value")))];

    public static IReadOnlyList<IamTag> Tags(IReadOnlyList<IamTagValue> tags) => [.. tags.Select(t => new IamTag { Key = t.Key, Value = t.Value })];

    /// <summary>A page of tags in the order they were set, with the last key as marker.</summary>
    public static (IReadOnlyList<IamTag> Tags, bool IsTruncated, string? Marker) TagPage(IReadOnlyList<IamTagValue> tags, string? marker, int? maxItems)
    {
        var page = IamPages.Of(tags, t => t.Key, marker, IamInput.MaxItems(maxItems));
        return (Tags(page.Items), page.IsTruncated, page.Marker);
    }

    public static IReadOnlyList<IamTag>? TagsOrNull(IReadOnlyList<IamTagValue> tags) => tags.Count == 0 ? null : Tags(tags);

    public static User User(IamStore store, IamEntity user, bool withTags = false) => new()
    {
        Path = user.Path,
        UserName = user.Name,
        UserId = user.Id,
        Arn = store.Arn(user),
        CreateDate = user.CreatedAt,
        Tags = withTags ? TagsOrNull(user.Tags) : null,
    };

    public static Group Group(IamStore store, IamEntity group) => new()
    {
        Path = group.Path,
        GroupName = group.Name,
        GroupId = group.Id,
        Arn = store.Arn(group),
        CreateDate = group.CreatedAt,
    };

    public static Role Role(IamStore store, IamEntity role, bool full) => new()
    {
        Path = role.Path,
        RoleName = role.Name,
        RoleId = role.Id,
        Arn = store.Arn(role),
        CreateDate = role.CreatedAt,
        AssumeRolePolicyDocument = Encode(role.TrustPolicy!),
        Description = role.Description,
        MaxSessionDuration = role.MaxSessionDuration,
        Tags = full ? TagsOrNull(role.Tags) : null,
        RoleLastUsed = full ? new RoleLastUsed() : null,
    };

    public static Policy Policy(IamStore store, ManagedPolicyRecord policy, bool full) => new()
    {
        PolicyName = policy.Name,
        PolicyId = policy.Id,
        Arn = store.PolicyArn(policy),
        Path = policy.Path,
        DefaultVersionId = policy.DefaultVersion,
        AttachmentCount = policy.Attachments.Count,
        PermissionsBoundaryUsageCount = 0,
        IsAttachable = true,
        Description = full ? policy.Description : null,
        CreateDate = policy.CreatedAt,
        UpdateDate = policy.UpdatedAt,
        Tags = full ? TagsOrNull(policy.Tags) : null,
    };

    public static PolicyVersion Version(ManagedPolicyRecord policy, PolicyVersionRecord version, bool withDocument) => new()
    {
        Document = withDocument ? Encode(version.Document) : null,
        VersionId = version.VersionId,
        IsDefaultVersion = version.VersionId == policy.DefaultVersion,
        CreateDate = version.CreatedAt,
    };

    public static AttachedPolicy Attached(IamStore store, ManagedPolicyRecord policy) => new() { PolicyName = policy.Name, PolicyArn = store.PolicyArn(policy) };
}
