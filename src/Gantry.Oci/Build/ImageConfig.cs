using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gantry.Oci.Build;

/// <summary>An OCI image configuration (<c>application/vnd.oci.image.config.v1+json</c>), members named as image-spec config.md names them.</summary>
public sealed record ImageConfig
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("architecture")]
    public required string Architecture { get; init; }

    [JsonPropertyName("os")]
    public string Os { get; init; } = "linux";

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    public ContainerConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public required RootFs RootFs { get; init; }

    [JsonPropertyName("history")]
    public IReadOnlyList<HistoryEntry>? History { get; init; }

    /// <summary>The config as compact UTF-8 JSON, the bytes that get digested and pushed.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Reads a config from its JSON.</summary>
    /// <exception cref="JsonException">The JSON is not an image config.</exception>
    public static ImageConfig Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<ImageConfig>(json, JsonOptions) ?? throw new JsonException("image config is null");
}
