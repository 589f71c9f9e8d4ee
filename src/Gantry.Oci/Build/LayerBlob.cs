namespace Gantry.Oci.Build;

/// <summary>A layer blob written by <see cref="LayerBuilder"/>: the digest and size of the gzip blob and the diffID of the tar inside it.</summary>
/// <param name="Digest">sha256 of the compressed blob, what a manifest's layer descriptor names.</param>
/// <param name="Size">Size of the compressed blob in bytes.</param>
/// <param name="DiffId">sha256 of the uncompressed tar, what the image config's <c>rootfs.diff_ids</c> lists.</param>
public sealed record LayerBlob(Digest Digest, long Size, Digest DiffId);
