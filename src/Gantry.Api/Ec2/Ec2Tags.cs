using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ec2;

/// <summary>
/// Tags between the wire (<see cref="Ec2Tag"/>, <see cref="TagSpecification"/>) and the records (<see cref="NetworkTag"/>), within
/// EC2's limits: keys of 1 to 128 characters not starting with <c>aws:</c>, values of at most 256, 50 tags a resource.
/// </summary>
internal static class Ec2Tags
{
    public const int MaxKeyLength = 128, MaxValueLength = 256, MaxPerResource = 50;

    public static IReadOnlyList<Ec2Tag> ToWire(IReadOnlyList<NetworkTag>? tags) => [.. (tags ?? []).Select(t => new Ec2Tag { Key = t.Key, Value = t.Value })];

    /// <summary>
    /// The tags a create request's TagSpecifications give the resource of <paramref name="resourceType"/> it creates; a
    /// specification without a type or for another type is refused as EC2 refuses it.
    /// </summary>
    public static IReadOnlyList<NetworkTag> FromSpecifications(IReadOnlyList<TagSpecification>? specifications, string resourceType) =>
        Merge([], (specifications ?? []).SelectMany(s => s.ResourceType switch
        {
            null or "" => throw NetworkErrors.Invalid("Tag specification resource type must have a value"),
            var type when type == resourceType => s.Tags ?? [],
            var type => throw NetworkErrors.Invalid($"'{type}' is not a valid taggable resource type for this operation."),
        }));

    /// <summary><paramref name="current"/> with <paramref name="added"/> set (a key given again takes the new value; a missing value is empty).</summary>
    public static IReadOnlyList<NetworkTag> Merge(IReadOnlyList<NetworkTag> current, IEnumerable<Ec2Tag> added)
    {
        var merged = current.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        foreach (var tag in added)
        {
            merged[Checked(tag)] = tag.Value ?? "";
        }
        return merged.Count <= MaxPerResource
            ? [.. merged.Select(p => new NetworkTag(p.Key, p.Value))]
            : throw new AwsException("TagLimitExceeded", $"The maximum number of Tags for a resource has been reached ({MaxPerResource}).");
    }

    private static string Checked(Ec2Tag tag) => tag switch
    {
        { Key: null } => throw NetworkErrors.Missing("Tag.N.Key"),
        { Key.Length: 0 } => throw NetworkErrors.Invalid("Tag key must not be empty."),
        { Key.Length: > MaxKeyLength } => throw NetworkErrors.Invalid($"Tag key exceeds the maximum length of {MaxKeyLength} characters"),
        { Value.Length: > MaxValueLength } => throw NetworkErrors.Invalid($"Tag value exceeds the maximum length of {MaxValueLength} characters"),
        _ when tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) => throw NetworkErrors.Invalid("Tag keys starting with 'aws:' are reserved for internal use"),
        _ => tag.Key,
    };
}
