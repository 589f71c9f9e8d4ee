namespace Gantry.Oci.Build;

/// <summary>What <see cref="ImageBuilder"/> makes an image from: a root filesystem and the container's execution defaults.</summary>
public sealed record ImageBuildOptions
{
    /// <summary>A directory, or a <c>.tar</c> / <c>.tar.gz</c> file, that becomes the image's single layer.</summary>
    public required string RootFs { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Environment entries as <c>NAME=value</c>.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    /// <summary>Ports as <c>80</c> (tcp) or <c>port/protocol</c> with tcp, udp or sctp.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The config's <c>created</c> time; the builder's <see cref="TimeProvider"/> when null.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The mtime of every entry taken from a directory; fixed so the same tree always gives the same layer digest.</summary>
    public DateTimeOffset LayerTimestamp { get; init; } = DateTimeOffset.UnixEpoch;
}
