namespace Gantry.Secrets.SecretsManager;

/// <summary>
/// A stored secret (kind <see cref="SecretsKinds.Secret"/>, keyed by name): its metadata and every kept version. Values
/// are sealed by the master key (<see cref="Sealer"/>); nothing here is plaintext.
/// </summary>
public sealed record SecretRecord
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public string? Description { get; init; }
    public string? KmsKeyId { get; init; }
    public IReadOnlyList<TagEntry> Tags { get; init; } = [];
    /// <summary>Oldest first.</summary>
    public IReadOnlyList<SecretVersion> Versions { get; init; } = [];
    public required DateTimeOffset CreatedDate { get; init; }
    public required DateTimeOffset LastChangedDate { get; init; }
    /// <summary>The day (midnight UTC) of the last GetSecretValue, as Secrets Manager records it.</summary>
    public DateTimeOffset? LastAccessedDate { get; init; }
    /// <summary>When DeleteSecret scheduled the deletion (null while the secret is live).</summary>
    public DateTimeOffset? DeletedDate { get; init; }
    /// <summary>When the scheduled deletion takes effect.</summary>
    public DateTimeOffset? DeletionDate { get; init; }
    public string? ResourcePolicy { get; init; }

    /// <summary>Scheduled for deletion (reads refuse) or already past its window (as good as gone).</summary>
    public bool MarkedForDeletion => DeletedDate is not null;

    public SecretVersion? VersionWith(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage, StringComparer.Ordinal));

    public SecretVersion? Version(string versionId) => Versions.FirstOrDefault(v => v.VersionId == versionId);
}

/// <param name="SealedString">SecretString sealed, or null.</param>
/// <param name="SealedBinary">SecretBinary (base64) sealed, or null.</param>
public sealed record SecretVersion(string VersionId, string? SealedString, string? SealedBinary, IReadOnlyList<string> Stages, DateTimeOffset CreatedDate);

/// <summary>A resource tag, as both services store them.</summary>
public sealed record TagEntry(string Key, string Value);

/// <summary>A secret version's plaintext, opened for the caller that asked for it.</summary>
public sealed record SecretValue(SecretRecord Secret, SecretVersion Version, string? SecretString, byte[]? SecretBinary);
