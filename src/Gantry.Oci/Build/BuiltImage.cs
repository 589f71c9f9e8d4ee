namespace Gantry.Oci.Build;

/// <summary>An image <see cref="ImageBuilder"/> wrote: the manifest bytes, their digest, and the blobs the manifest references (layers, then config).</summary>
public sealed record BuiltImage(ReadOnlyMemory<byte> Manifest, Digest ManifestDigest, IReadOnlyList<BuiltBlob> Blobs)
{
    /// <summary>The manifest's media type, the Content-Type to push it with.</summary>
    public string MediaType { get; } = MediaTypes.OciManifest;
}
