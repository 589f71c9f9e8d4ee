using System.Text.Json.Serialization;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>An OCI runtime-spec 1.0.2 <c>config.json</c>: what runc runs. Member names are the spec's.</summary>
public sealed record RuntimeSpec
{
    /// <summary>The runtime-spec version this config follows.</summary>
    [JsonPropertyName("ociVersion")]
    public string OciVersion { get; init; } = "1.0.2";

    /// <summary>The container process.</summary>
    [JsonPropertyName("process")]
    public required SpecProcess Process { get; init; }

    /// <summary>The root filesystem.</summary>
    [JsonPropertyName("root")]
    public required SpecRoot Root { get; init; }

    /// <summary>The hostname inside the container's UTS namespace.</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; init; }

    /// <summary>Mounts in the order runc performs them.</summary>
    [JsonPropertyName("mounts")]
    public IReadOnlyList<SpecMount> Mounts { get; init; } = [];

    /// <summary>Arbitrary metadata; the definition's <c>dockerLabels</c> land here.</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>Linux-specific configuration.</summary>
    [JsonPropertyName("linux")]
    public required LinuxSpec Linux { get; init; }
}

/// <summary>The <c>root</c> member: the container's root filesystem on the host.</summary>
public sealed record SpecRoot
{
    /// <summary>Host path of the root filesystem.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>Mount the root filesystem read-only.</summary>
    [JsonPropertyName("readonly")]
    public bool Readonly { get; init; }
}

/// <summary>One entry of <c>mounts</c>.</summary>
public sealed record SpecMount
{
    /// <summary>Absolute path inside the container.</summary>
    [JsonPropertyName("destination")]
    public required string Destination { get; init; }

    /// <summary>Filesystem type (<c>proc</c>, <c>tmpfs</c>, <c>bind</c>, ...).</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Device name, or the host path for bind mounts.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>mount(8) options.</summary>
    [JsonPropertyName("options")]
    public IReadOnlyList<string>? Options { get; init; }
}
