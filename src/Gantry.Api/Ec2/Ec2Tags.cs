using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>Tags between the wire (<see cref="Ec2Tag"/>, <see cref="TagSpecification"/>) and the records (<see cref="NetworkTag"/>).</summary>
internal static class Ec2Tags
{
    public static IReadOnlyList<Ec2Tag> ToWire(IReadOnlyList<NetworkTag>? tags) => [.. (tags ?? []).Select(t => new Ec2Tag { Key = t.Key, Value = t.Value })];

    /// <summary>The tags a create request's TagSpecifications give a resource of <paramref name="resourceType"/>.</summary>
    public static IReadOnlyList<NetworkTag> FromSpecifications(IReadOnlyList<TagSpecification>? specifications, string resourceType) =>
        Merge([], (specifications ?? []).Where(s => s.ResourceType is null || s.ResourceType == resourceType).SelectMany(s => s.Tags ?? []));

    /// <summary><paramref name="current"/> with <paramref name="added"/> set (a key given again takes the new value; a missing value is empty).</summary>
    public static IReadOnlyList<NetworkTag> Merge(IReadOnlyList<NetworkTag> current, IEnumerable<Ec2Tag> added)
    {
        var merged = current.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        foreach (var tag in added)
        {
            merged[tag.Key ?? throw NetworkErrors.Missing("Tag.N.Key")] = tag.Value ?? "";
        }
        return [.. merged.Select(p => new NetworkTag(p.Key, p.Value))];
    }
}
