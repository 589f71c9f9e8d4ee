using System.Text.Json.Serialization;

namespace Gantry.Oci.Build;

/// <summary>The JSON shape of an OCI image index, for writing an image layout's <c>index.json</c>.</summary>
internal sealed record ImageIndexDocument([property: JsonPropertyName("manifests")] IReadOnlyList<Descriptor> Manifests)
{
    [JsonPropertyName("schemaVersion")]
    [JsonPropertyOrder(-2)]
    public int SchemaVersion { get; } = 2;

    [JsonPropertyName("mediaType")]
    [JsonPropertyOrder(-1)]
    public string MediaType { get; } = MediaTypes.OciIndex;
}
