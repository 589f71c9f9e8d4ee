using Gantry.Oci;

namespace Gantry.Registry.Catalog;

/// <summary>A repository as stored: its ECR settings and policies.</summary>
public sealed record RepositoryRecord(
    string Name,
    DateTimeOffset CreatedAt,
    string ImageTagMutability,
    bool ScanOnPush,
    string EncryptionType,
    string? KmsKey,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    string? PolicyText = null,
    string? LifecyclePolicyText = null,
    DateTimeOffset? LifecycleEvaluatedAt = null)
{
    public const string Mutable = "MUTABLE";
    public const string Immutable = "IMMUTABLE";
}

/// <summary>A manifest or index pushed into a repository, with the tags that point at it.</summary>
public sealed record ImageRecord(
    string Repository,
    string Digest,
    string MediaType,
    long ManifestSize,
    long ContentSize,
    IReadOnlyList<string> Tags,
    DateTimeOffset PushedAt,
    IReadOnlyList<string> Blobs,
    IReadOnlyList<string> Children,
    Descriptor? Subject,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations,
    DateTimeOffset? LastPulledAt = null);

/// <summary>A tag: a name in a repository pointing at a manifest digest.</summary>
public sealed record TagRecord(string Digest);

/// <summary>A blob made available to one repository (uploaded, mounted or referenced by a pushed manifest).</summary>
public sealed record BlobLink(long Size, DateTimeOffset LinkedAt);

/// <summary>A manifest whose subject is another manifest, as the referrers API lists it.</summary>
public sealed record ReferrerRecord(Descriptor Descriptor);
