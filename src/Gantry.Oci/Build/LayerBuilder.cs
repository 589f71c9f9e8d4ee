using System.Formats.Tar;
using System.IO.Compression;

namespace Gantry.Oci.Build;

/// <summary>
/// Turns a root filesystem — a directory, or a tarball (plain or gzip, told apart by the gzip magic bytes) — into an
/// OCI layer blob: a gzip-compressed tar, streamed to a file with flat memory while both the blob digest and the
/// diffID (digest of the uncompressed tar) are computed on the way.
/// </summary>
public static class LayerBuilder
{
    /// <summary>The buffer size of every stream the builder opens.</summary>
    public const int BufferSize = 81920;

    /// <summary>Writes the layer for <paramref name="rootfs"/> to <paramref name="destinationPath"/> (replaced if present).</summary>
    /// <param name="rootfs">A directory, or a <c>.tar</c> / <c>.tar.gz</c> file.</param>
    /// <param name="destinationPath">Where the gzip blob goes; deleted again if building fails.</param>
    /// <param name="modificationTime">The mtime of every entry taken from a directory, so the same tree gives the same digest.
    /// Entries from a tarball keep their own.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    public static async Task<LayerBlob> BuildAsync(string rootfs, string destinationPath, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootfs);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        var fromDirectory = Directory.Exists(rootfs);
        if (!fromDirectory && !File.Exists(rootfs))
        {
            throw new FileNotFoundException($"root filesystem '{rootfs}' is neither a directory nor a file", rootfs);
        }
        try
        {
            var destination = new FileStream(destinationPath, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous,
            });
            await using (destination.ConfigureAwait(false))
            {
                return await WriteLayerAsync(rootfs, fromDirectory, destination, modificationTime, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            File.Delete(destinationPath);
            throw;
        }
    }

    private static async Task<LayerBlob> WriteLayerAsync(string rootfs, bool fromDirectory, Stream destination, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        using var compressed = new HashingWriteStream(destination);
        Digest diffId;
        var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            diffId = await WriteTarAsync(gzip, rootfs, fromDirectory, modificationTime, cancellationToken).ConfigureAwait(false);
        }
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new LayerBlob(compressed.Digest, compressed.BytesWritten, diffId);
    }

    private static async Task<Digest> WriteTarAsync(Stream output, string rootfs, bool fromDirectory, DateTimeOffset modificationTime, CancellationToken cancellationToken)
    {
        using var uncompressed = new HashingWriteStream(output);
        var writer = new TarWriter(uncompressed, TarEntryFormat.Gnu, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            if (fromDirectory)
            {
                await DirectoryLayerSource.WriteAsync(writer, rootfs, modificationTime, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteTarballAsync(writer, rootfs, cancellationToken).ConfigureAwait(false);
            }
        }
        return uncompressed.Digest;
    }

    private static async Task WriteTarballAsync(TarWriter writer, string path, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = BufferSize,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        await using (file.ConfigureAwait(false))
        {
            var magic = new byte[2];
            var read = await file.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                var gunzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
                await using (gunzip.ConfigureAwait(false))
                {
                    var buffered = new BufferedStream(gunzip, BufferSize);
                    await using (buffered.ConfigureAwait(false))
                    {
                        await TarballLayerSource.WriteAsync(writer, buffered, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            else
            {
                await TarballLayerSource.WriteAsync(writer, file, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
