namespace Gantry.Oci;

/// <summary>
/// What the registry needs to know about a pushed manifest or index, whatever its format:
/// the blobs it references (config and layers), the manifests it lists (an index), its subject and artifact type.
/// </summary>
public sealed record Manifest(
    string MediaType,
    Descriptor? Config,
    IReadOnlyList<Descriptor> Layers,
    IReadOnlyList<Descriptor> Manifests,
    Descriptor? Subject,
    string? ArtifactType,
    IReadOnlyDictionary<string, string>? Annotations)
{
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The blobs this manifest needs in its repository: its config and its layers.</summary>
    public IEnumerable<Descriptor> Blobs => Config is null ? Layers : Layers.Prepend(Config);

    /// <summary>The artifact type the referrers API reports: artifactType, else the config media type.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? (IsIndex ? null : Config?.MediaType);
}
