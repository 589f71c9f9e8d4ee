using System.Text.Json.Serialization;

namespace Gantry.Oci.Build;

/// <summary>The <c>rootfs</c> member of an image config: the diffIDs of the layers, bottom first.</summary>
public sealed record RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public required IReadOnlyList<string> DiffIds { get; init; }
}
