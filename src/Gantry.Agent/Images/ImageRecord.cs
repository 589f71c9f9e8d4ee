using System.Text.Json.Serialization;
using Gantry.Oci.Build;

namespace Gantry.Agent.Images;

/// <summary>What <see cref="ImageStore"/> remembers about a pulled image in <c>images/&lt;reference&gt;.json</c>.</summary>
internal sealed record ImageRecord
{
    /// <summary>The reference as pulled, normalised: <c>registry/repository:tag</c> or <c>registry/repository@digest</c>.</summary>
    [JsonPropertyName("reference")]
    public required string Reference { get; init; }

    [JsonPropertyName("manifestDigest")]
    public required string ManifestDigest { get; init; }

    [JsonPropertyName("configDigest")]
    public required string ConfigDigest { get; init; }

    [JsonPropertyName("config")]
    public required ImageConfig Config { get; init; }

    /// <summary>The manifest's layers, bottom first.</summary>
    [JsonPropertyName("layers")]
    public required IReadOnlyList<LayerRecord> Layers { get; init; }

    [JsonPropertyName("pulledAt")]
    public required DateTimeOffset PulledAt { get; init; }

    /// <summary>The last pull of this reference; collection removes the least recently used images first.</summary>
    [JsonPropertyName("lastUsed")]
    public required DateTimeOffset LastUsed { get; init; }
}

/// <summary>One layer of an <see cref="ImageRecord"/>: the blob it came from and the diffID its snapshot was checked against.</summary>
internal sealed record LayerRecord(
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("diffId")] string? DiffId);
