using Gantry.Domain.Ssm;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Secrets.Parameters;

/// <summary>
/// A stored parameter (kind <see cref="SecretsKinds.Parameter"/>, keyed by name): its history, oldest first, the last
/// version being the current one, and its tags. A SecureString version's value is sealed; String and StringList stay plain.
/// </summary>
public sealed record ParameterRecord
{
    public required string Name { get; init; }
    public required IReadOnlyList<ParameterVersion> Versions { get; init; }
    public IReadOnlyList<TagEntry> Tags { get; init; } = [];

    public ParameterVersion Current => Versions[^1];

    public ParameterVersion? Version(long version) => Versions.FirstOrDefault(v => v.Version == version);

    public ParameterVersion? Labelled(string label) => Versions.FirstOrDefault(v => v.Labels.Contains(label, StringComparer.Ordinal));
}

/// <param name="Value">The plain value, or the sealed one for a SecureString.</param>
public sealed record ParameterVersion(long Version, string Type, string Value, string? Description, string? AllowedPattern, string? KeyId,
    string Tier, string DataType, IReadOnlyList<string> Labels, DateTimeOffset LastModifiedDate, string LastModifiedUser)
{
    public bool Secure => Type == ParameterTypeValues.SecureString;
}

/// <summary>Defaults Parameter Store applies (the types and tiers are the model's <see cref="ParameterTypeValues"/> and <see cref="ParameterTierValues"/>).</summary>
public static class ParameterTypes
{
    public const string Text = "text";
    public const string DefaultKeyId = "alias/aws/ssm";
}

/// <summary>What PutParameter asks for (<see cref="Value"/> in plaintext; sealed before it is stored).</summary>
public sealed record ParameterPut(string Name, string Value, string? Type, string? Description, string? KeyId, bool Overwrite, string? AllowedPattern,
    IReadOnlyList<TagEntry>? Tags, string? Tier, string? DataType, string User);

/// <summary>A version read back for a caller: the value opened only when asked for (<c>WithDecryption</c>).</summary>
public sealed record ParameterView(string Name, ParameterVersion Version, string Value, string? Selector);
