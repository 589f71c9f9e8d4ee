using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Oci.Build;

/// <summary>The JSON shape of an OCI image manifest, for writing one.</summary>
internal sealed record ImageManifestDocument(
    [property: JsonPropertyName("config")] Descriptor Config,
    [property: JsonPropertyName("layers")] IReadOnlyList<Descriptor> Layers)
{
    [JsonPropertyName("schemaVersion")]
    [JsonPropertyOrder(-2)]
    public int SchemaVersion { get; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonPropertyOrder(-1)]
    public string MediaType { get; } = MediaTypes.OciManifest;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);
}
