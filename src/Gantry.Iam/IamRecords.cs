namespace Gantry.Iam;

/// <summary>The identities that hold policies. The name is the store kind's suffix and the ARN's resource type.</summary>
public enum EntityKind
{
    User,
    Group,
    Role,
}

/// <summary>A tag of a user, role or managed policy, in the order it was set.</summary>
public sealed record IamTagValue(string Key, string Value);

/// <summary>An identity that names the entity a managed policy is attached to.</summary>
public sealed record EntityRef(EntityKind Kind, string Name);

/// <summary>
/// A user, group or role as stored (kind <c>iam-user</c>, <c>iam-group</c>, <c>iam-role</c>; keyed by name). Relations are
/// kept on both sides (a user's <see cref="Groups"/> and the group's <see cref="Members"/>; an entity's
/// <see cref="AttachedPolicies"/> and the policy's attachments) and always committed together, each side at the
/// version it was read, so a concurrent change of either side makes the commit fail and the operation run again.
/// </summary>
public sealed record IamEntity(EntityKind Kind, string Name, string Id, string Path, DateTimeOffset CreatedAt)
{
    public IReadOnlyList<IamTagValue> Tags { get; init; } = [];

    /// <summary>Names of the managed policies attached, in attachment order.</summary>
    public IReadOnlyList<string> AttachedPolicies { get; init; } = [];

    /// <summary>Inline policies by name (documents as given, decoded).</summary>
    public IReadOnlyDictionary<string, string> InlinePolicies { get; init; } = new Dictionary<string, string>();

    /// <summary>A user's groups.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>A user's access key ids (at most <see cref="IamAccessKeys.MaxPerUser"/>).</summary>
    public IReadOnlyList<string> AccessKeys { get; init; } = [];

    /// <summary>A group's users.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>A role's trust policy (who may assume it).</summary>
    public string? TrustPolicy { get; init; }

    public string? Description { get; init; }

    /// <summary>A role's longest session, in seconds (3600–43200).</summary>
    public int? MaxSessionDuration { get; init; }
}

/// <summary>One version of a managed policy ("v1", "v2", …).</summary>
public sealed record PolicyVersionRecord(string VersionId, string Document, DateTimeOffset CreatedAt);

/// <summary>A customer managed policy as stored (kind <c>iam-policy</c>, keyed by name: names are unique in an account).</summary>
public sealed record ManagedPolicyRecord(string Name, string Id, string Path, DateTimeOffset CreatedAt)
{
    public string? Description { get; init; }
    public DateTimeOffset UpdatedAt { get; init; } = CreatedAt;
    public required string DefaultVersion { get; init; }

    /// <summary>The number the next version gets (versions are never renumbered).</summary>
    public int NextVersion { get; init; } = 2;
    public IReadOnlyList<PolicyVersionRecord> Versions { get; init; } = [];
    public IReadOnlyList<IamTagValue> Tags { get; init; } = [];

    /// <summary>Where it is attached; its count is the policy's AttachmentCount.</summary>
    public IReadOnlyList<EntityRef> Attachments { get; init; } = [];

    [System.Text.Json.Serialization.JsonIgnore]
    public PolicyVersionRecord Default => Versions.First(v => v.VersionId == DefaultVersion);
}
