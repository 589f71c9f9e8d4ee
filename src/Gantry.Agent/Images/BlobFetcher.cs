using Gantry.Oci;

namespace Gantry.Agent.Images;

/// <summary>
/// Content fetch and verify (containerd's remote fetcher writing into a content ingest): a blob is streamed from the
/// registry into <c>downloads/&lt;hex&gt;.tmp-&lt;guid&gt;</c> through a <see cref="HashingReadStream"/>, failing as soon as
/// it is longer than its descriptor says, then checked for its exact size and digest.
/// </summary>
internal sealed class BlobFetcher
{
    private const int CopyBufferSize = 128 * 1024;
    private const long ProgressInterval = 1024 * 1024;

    private readonly RegistryClient _client;
    private readonly string _directory;

    /// <param name="client">Opens blobs.</param>
    /// <param name="directory">Where downloads are written while they are fetched (created when missing).</param>
    public BlobFetcher(RegistryClient client, string directory)
    {
        _client = client;
        _directory = Directory.CreateDirectory(directory).FullName;
    }

    /// <summary>A fresh download path for the layer <paramref name="hex"/>; the caller deletes it when done.</summary>
    public string IngestPath(string hex) => Staging.PathFor(Path.Combine(_directory, hex));

    /// <summary>Every download on disk, finished or not (they only live while a pull uses them).</summary>
    public IEnumerable<string> Ingests() => Directory.EnumerateFiles(_directory);

    /// <summary>Streams the layer's blob into <paramref name="path"/>, verifying its size while streaming and its digest at the end.</summary>
    /// <exception cref="ImagePullException">The blob could not be fetched, or it is not the content its descriptor names.</exception>
    public async Task FetchAsync(ImageReference reference, RegistryLogin? login, LayerRecord layer, string path, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(layer.Digest, out var expected))
        {
            throw new ImagePullException($"failed to copy: layer digest {layer.Digest} is not a supported digest");
        }
        var what = $"layer {layer.Digest} of {RegistryClient.Display(reference)}";
        var blob = await _client.OpenBlobAsync(reference, layer.Digest, login, cancellationToken).ConfigureAwait(false);
        await using (blob.ConfigureAwait(false))
        {
            using var hashing = new HashingReadStream(blob, expected.Algorithm);
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            });
            await using (file.ConfigureAwait(false))
            {
                progress?.Report(new PullProgress(layer.Digest, 0, layer.Size));
                var buffer = new byte[CopyBufferSize];
                long reported = 0;
                try
                {
                    int read;
                    while ((read = await hashing.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        if (hashing.BytesRead > layer.Size)
                        {
                            throw new ImagePullException($"failed to copy: {what}: size mismatch: more than the {layer.Size} bytes the manifest says");
                        }
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        if (hashing.BytesRead - reported >= ProgressInterval)
                        {
                            reported = hashing.BytesRead;
                            progress?.Report(new PullProgress(layer.Digest, reported, layer.Size));
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    throw new ImagePullException($"failed to copy: {what}: {e.Message}", e);
                }
            }
            if (hashing.BytesRead != layer.Size)
            {
                throw new ImagePullException($"failed to copy: {what}: size mismatch: got {hashing.BytesRead} bytes, the manifest says {layer.Size}");
            }
            var actual = hashing.Digest;
            if (actual != expected)
            {
                throw new ImagePullException($"failed to copy: {what}: digest mismatch: the registry sent content with digest {actual}");
            }
            progress?.Report(new PullProgress(layer.Digest, hashing.BytesRead, layer.Size));
        }
    }
}
