using Gantry.Oci;

namespace Gantry.Agent.Images;

/// <summary>What unpacking one layer found.</summary>
/// <param name="DiffId">The sha256 of the uncompressed tar, to compare with the config's <c>rootfs.diff_ids</c>.</param>
/// <param name="Bytes">Bytes of regular file content written.</param>
/// <param name="Entries">Tar entries applied (including whiteouts).</param>
public sealed record LayerUnpackResult(Digest DiffId, long Bytes, long Entries);
