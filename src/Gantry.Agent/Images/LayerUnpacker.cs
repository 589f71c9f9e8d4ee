using System.Formats.Tar;

namespace Gantry.Agent.Images;

/// <summary>
/// Unpacks one image layer (tar, tar+gzip or tar+zstd) into an empty directory that overlayfs can use as a lower layer:
/// files, directories, symlinks, hard links within the layer, devices and FIFOs, with numeric owners, modes
/// (setuid, setgid and sticky included) and mtimes. Whiteouts <c>.wh.NAME</c> become overlay whiteouts (a 0/0
/// character device named NAME) and <c>.wh..wh..opq</c> makes its directory opaque (<c>trusted.overlay.opaque=y</c>).
/// Entries are streamed one at a time; memory stays flat whatever the layer size. Needs root (mknod, chown, trusted xattrs).
/// </summary>
public static class LayerUnpacker
{
    /// <summary>Unpacks <paramref name="layer"/> into <paramref name="destination"/> (created when missing; should be empty).</summary>
    /// <param name="layer">The layer blob, read forward once; left open.</param>
    /// <param name="mediaType">The layer's media type from the manifest; the blob's magic bytes decide the compression.</param>
    /// <param name="destination">The directory that becomes the layer's diff directory.</param>
    /// <param name="cancellationToken">Stops between reads.</param>
    /// <returns>The diffID of the tar and what was written.</returns>
    /// <exception cref="ImagePullException">An unsupported media type, a corrupt archive, or an entry escaping the destination (absolute, <c>..</c>, beneath a symlink).</exception>
    public static async Task<LayerUnpackResult> UnpackAsync(Stream layer, string mediaType, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        Directory.CreateDirectory(destination);
        var (tar, _) = await LayerCompressions.OpenAsync(layer, mediaType, cancellationToken).ConfigureAwait(false);
        await using (tar.ConfigureAwait(false))
        {
            using var hashing = new HashingReadStream(tar);
            var writer = new LayerWriter(destination);
            try
            {
                var reader = new TarReader(hashing, leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        await writer.ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
                    }
                }
                await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or ZstdSharp.ZstdException or EndOfStreamException)
            {
                throw new ImagePullException($"failed to extract layer: the archive is corrupt: {e.Message}", e);
            }
            try
            {
                writer.Finish();
            }
            catch (IOException e)
            {
                throw new ImagePullException($"failed to extract layer: {e.Message}", e);
            }
            return new LayerUnpackResult(hashing.Digest, writer.Bytes, writer.Entries);
        }
    }
}
