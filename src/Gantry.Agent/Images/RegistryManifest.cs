using Gantry.Oci;

namespace Gantry.Agent.Images;

/// <summary>A manifest or index as a registry served it: its verified digest, raw bytes and parsed form.</summary>
/// <param name="Digest">The digest of <paramref name="Content"/> (what was asked for when pulled by digest).</param>
/// <param name="Content">The bytes exactly as served.</param>
/// <param name="Manifest">The parsed manifest; <see cref="Oci.Manifest.IsIndex"/> for an index or manifest list.</param>
public sealed record RegistryManifest(string Digest, ReadOnlyMemory<byte> Content, Manifest Manifest);
