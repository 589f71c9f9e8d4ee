using System.IO.Compression;
using Gantry.Oci;
using ZstdSharp;

namespace Gantry.Agent.Images;

/// <summary>How a layer blob is compressed: what its media type allows, and what its first bytes say.</summary>
internal enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>Recognises layer media types and compression magic numbers, and opens the tar inside a layer blob.</summary>
internal static class LayerCompressions
{
    private static readonly byte[] GzipMagic = [0x1F, 0x8B];
    private static readonly byte[] ZstdMagic = [0x28, 0xB5, 0x2F, 0xFD];

    /// <summary>The compression a layer media type declares; null when the type is not an extractable layer (unknown, encrypted).</summary>
    public static LayerCompression? FromMediaType(string mediaType) => mediaType switch
    {
        MediaTypes.OciLayer or "application/vnd.oci.image.layer.nondistributable.v1.tar" or "application/vnd.docker.image.rootfs.diff.tar" => LayerCompression.None,
        MediaTypes.OciLayerGzip or MediaTypes.DockerLayerGzip or "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            or "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => LayerCompression.Gzip,
        MediaTypes.OciLayerZstd or "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => LayerCompression.Zstd,
        _ => null,
    };

    /// <summary>The compression the first bytes of a blob show; <see cref="LayerCompression.None"/> when they show neither gzip nor zstd.</summary>
    public static LayerCompression FromMagic(ReadOnlySpan<byte> head) =>
        head.StartsWith(GzipMagic) ? LayerCompression.Gzip
        : head.StartsWith(ZstdMagic) ? LayerCompression.Zstd
        : LayerCompression.None;

    /// <summary>
    /// Opens the tar stream inside <paramref name="blob"/>. The magic bytes decide (registries and builders have been known to label
    /// an uncompressed layer gzip and the other way round); the media type must name a layer type at all.
    /// </summary>
    /// <exception cref="ImagePullException">The media type is not a layer Gantry can extract.</exception>
    public static async Task<(Stream Tar, LayerCompression Compression)> OpenAsync(Stream blob, string mediaType, CancellationToken cancellationToken)
    {
        if (FromMediaType(mediaType) is null)
        {
            throw new ImagePullException($"failed to extract layer: unsupported layer media type {mediaType}");
        }
        var (stream, head) = await PrefixedStream.PeekAsync(blob, ZstdMagic.Length, cancellationToken).ConfigureAwait(false);
        var compression = FromMagic(head.Span);
        Stream tar = compression switch
        {
            LayerCompression.Gzip => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false),
            LayerCompression.Zstd => new DecompressionStream(stream, leaveOpen: false),
            _ => stream,
        };
        return (tar, compression);
    }
}
