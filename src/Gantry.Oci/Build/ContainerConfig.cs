using System.Text.Json.Serialization;

namespace Gantry.Oci.Build;

/// <summary>The <c>config</c> member of an image config: the execution defaults of a container run from the image.</summary>
public sealed record ContainerConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary>Ports as <c>port/protocol</c> (<c>80/tcp</c>); in JSON a map to empty objects.</summary>
    [JsonPropertyName("ExposedPorts")]
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    /// <summary>Environment entries as <c>NAME=value</c>.</summary>
    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Volume paths; in JSON a map to empty objects.</summary>
    [JsonPropertyName("Volumes")]
    [JsonConverter(typeof(StringSetJsonConverter))]
    public IReadOnlyList<string>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }
}
