using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Images;

/// <summary>
/// Makes a layer's snapshot (containerd's unpacker): under the layer's mutex, reuse the committed snapshot, or fetch the
/// blob (<see cref="BlobFetcher"/>), apply it into a staging directory (<see cref="LayerUnpacker"/>), check the tar's diffID
/// against the image config and commit. Concurrent pulls of one layer share one download.
/// </summary>
internal sealed partial class Unpacker(BlobFetcher fetcher, SnapshotStore snapshots, TimeProvider time, ILogger logger)
{
    private const int CopyBufferSize = 128 * 1024;

    /// <summary>Makes sure the layer's snapshot exists, downloading and unpacking it when it does not; adds it to <paramref name="lease"/>.</summary>
    /// <exception cref="ImagePullException">The layer could not be fetched, unpacked or committed.</exception>
    public async Task EnsureSnapshotAsync(ImageReference reference, RegistryLogin? login, LayerRecord layer, SnapshotLeases.Lease lease,
        IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var hex = SnapshotStore.HexOf(layer.Digest);
        using (await snapshots.LockAsync(hex, cancellationToken).ConfigureAwait(false))
        {
            lease.Add(hex);
            if (snapshots.Exists(hex))
            {
                LogSnapshotReused(logger, layer.Digest);
                progress?.Report(new PullProgress(layer.Digest, layer.Size, layer.Size));
                return;
            }
            var started = time.GetTimestamp();
            var download = fetcher.IngestPath(hex);
            var staging = snapshots.StagingPathOf(hex);
            try
            {
                await fetcher.FetchAsync(reference, login, layer, download, progress, cancellationToken).ConfigureAwait(false);
                var result = await ApplyAsync(reference, layer, download, staging, cancellationToken).ConfigureAwait(false);
                snapshots.Commit(staging, hex, result.Bytes);
                var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
                LogSnapshotCreated(logger, layer.Digest, layer.Size, result.Bytes, result.Entries, elapsed);
            }
            catch (IOException e)
            {
                throw new ImagePullException($"failed to extract layer {layer.Digest} of {RegistryClient.Display(reference)}: {e.Message}", e);
            }
            finally
            {
                Staging.DeleteQuietly(download);
                Staging.DeleteQuietly(staging);
            }
        }
    }

    private static async Task<LayerUnpackResult> ApplyAsync(ImageReference reference, LayerRecord layer, string download, string staging, CancellationToken cancellationToken)
    {
        LayerUnpackResult result;
        var file = new FileStream(download, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            result = await LayerUnpacker.UnpackAsync(file, layer.MediaType, staging, cancellationToken).ConfigureAwait(false);
        }
        if (layer.DiffId is not null && result.DiffId.ToString() != layer.DiffId)
        {
            throw new ImagePullException($"failed to extract layer {layer.Digest} of {RegistryClient.Display(reference)}: diffID mismatch: the layer's tar is {result.DiffId}, the image config says {layer.DiffId}");
        }
        return result;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Layer {Digest} is already unpacked")]
    private static partial void LogSnapshotReused(ILogger logger, string digest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unpacked layer {Digest} ({BlobBytes} bytes) into {Bytes} bytes, {Entries} entries, in {Milliseconds} ms")]
    private static partial void LogSnapshotCreated(ILogger logger, string digest, long blobBytes, long bytes, long entries, long milliseconds);
}
