using System.Text.Json;
using Gantry.Oci.Build;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Images;

/// <summary>
/// The node's images, composed the way containerd composes its image service: a <see cref="ManifestResolver"/> (one
/// resolution per reference in flight), an <see cref="Unpacker"/> that fetches and verifies blobs (<see cref="BlobFetcher"/>)
/// into <c>root/downloads</c> and commits layer snapshots into <c>root/snapshots</c> (<see cref="SnapshotStore"/>), image
/// records in <c>root/images</c> (<see cref="ImageRecords"/>), leases that protect a running pull's snapshots
/// (<see cref="SnapshotLeases"/>), and an <see cref="ImageCollector"/> that keeps the snapshots under a budget.
/// </summary>
public sealed partial class ImageStore : IImagePuller, IDisposable
{
    private const int LayerParallelism = 3;

    private readonly RegistryClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<ImageStore> _logger;
    private readonly ManifestResolver _resolver;
    private readonly SnapshotStore _snapshots;
    private readonly ImageRecords _records;
    private readonly SnapshotLeases _leases = new();
    private readonly Unpacker _unpacker;
    private readonly ImageCollector _collector;

    /// <param name="root">The store's directory (created when missing); snapshots must be on a filesystem overlayfs accepts as lower.</param>
    /// <param name="client">Fetches manifests and blobs.</param>
    /// <param name="time">Stamps pulls, for least-recently-used collection.</param>
    /// <param name="logger">Pulls, reuses and removals.</param>
    public ImageStore(string root, RegistryClient client, TimeProvider time, ILogger<ImageStore> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Root = Path.GetFullPath(root);
        _client = client;
        _time = time;
        _logger = logger;
        _resolver = new ManifestResolver(client);
        _snapshots = new SnapshotStore(Path.Combine(Root, "snapshots"), logger);
        _records = new ImageRecords(Path.Combine(Root, "images"), logger);
        var fetcher = new BlobFetcher(client, Path.Combine(Root, "downloads"));
        _unpacker = new Unpacker(fetcher, _snapshots, time, logger);
        _collector = new ImageCollector(_records, _snapshots, _leases, fetcher, logger);
    }

    /// <summary>The store's directory.</summary>
    public string Root { get; }

    /// <summary>The snapshot directory of a layer digest (whether or not it has been unpacked).</summary>
    public string SnapshotDirectory(string layerDigest)
    {
        ArgumentNullException.ThrowIfNull(layerDigest);
        return _snapshots.PathOf(SnapshotStore.HexOf(layerDigest));
    }

    /// <summary>
    /// Pulls <paramref name="reference"/>: resolves the manifest (for an index, the linux entry of this machine's architecture),
    /// fetches the config, and makes sure every layer has its snapshot. A digest-pinned reference pulled before is served from
    /// the local record without asking the registry. Snapshots are protected from <see cref="CollectAsync"/> only while this
    /// runs; afterwards the caller passes the directories it uses as in use.
    /// </summary>
    /// <exception cref="ImagePullException">The pull failed; the message is the CannotPullContainerError reason.</exception>
    public async Task<PulledImage> PullAsync(ImageReference reference, RegistryLogin? login, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var started = _time.GetTimestamp();
        var key = ImageRecords.KeyOf(reference);
        using var lease = _leases.Create();
        try
        {
            if (reference.Digest is not null && await TryPullLocallyAsync(reference, key, lease, progress, cancellationToken).ConfigureAwait(false) is { } local)
            {
                LogServedLocally(_logger, key, local.ManifestDigest);
                return local;
            }
            var manifest = await _resolver.ResolveAsync(key, reference, login, cancellationToken).ConfigureAwait(false);
            if (reference.Digest is null && _records.Find(key) is { } known && known.ManifestDigest == manifest.Digest
                && await TryPullLocallyAsync(reference, key, lease, progress, cancellationToken).ConfigureAwait(false) is { } current)
            {
                // The tag still names the image this node has: nothing to download (as `docker pull` of an up-to-date tag).
                LogServedLocally(_logger, key, current.ManifestDigest);
                return current;
            }
            var configDescriptor = manifest.Manifest.Config!;
            var config = ParseConfig(reference, await _client.GetBlobAsync(reference, configDescriptor, login, cancellationToken).ConfigureAwait(false));
            var layers = manifest.Manifest.Layers;
            var diffIds = config.RootFs.DiffIds;
            if (diffIds.Count != layers.Count)
            {
                throw new ImagePullException($"failed to unpack image {RegistryClient.Display(reference)}: mismatched image rootfs and manifest layers ({diffIds.Count} diffIDs, {layers.Count} layers)");
            }
            var records = layers.Select((layer, i) => new LayerRecord(layer.Digest, layer.MediaType, layer.Size, diffIds[i])).ToList();
            await Parallel.ForEachAsync(
                records.DistinctBy(layer => layer.Digest, StringComparer.Ordinal),
                new ParallelOptions { MaxDegreeOfParallelism = LayerParallelism, CancellationToken = cancellationToken },
                (layer, ct) => new ValueTask(_unpacker.EnsureSnapshotAsync(reference, login, layer, lease, progress, ct))).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var record = new ImageRecord
            {
                Reference = key,
                ManifestDigest = manifest.Digest,
                ConfigDigest = configDescriptor.Digest,
                Config = config,
                Layers = records,
                PulledAt = now,
                LastUsed = now,
            };
            await _records.SaveAsync(key, record, cancellationToken).ConfigureAwait(false);
            var elapsed = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            LogPulled(_logger, key, manifest.Digest, records.Count, elapsed);
            return ToPulledImage(reference, record);
        }
        catch (ImagePullException e)
        {
            LogPullFailed(_logger, key, e.Message);
            throw;
        }
    }

    /// <summary>
    /// When the snapshots take more than <paramref name="maxBytes"/>, removes snapshots no image records, then the records of
    /// images not in use, least recently pulled first, with each snapshot no remaining image references, until the total fits.
    /// Leftovers of interrupted pulls are removed whenever no pull holds them.
    /// </summary>
    /// <param name="inUseSnapshots">Snapshots to keep: snapshot directories (as in <see cref="PulledImage.LayerDirectories"/>) or layer digests.
    /// An image with any layer in this set is in use and kept.</param>
    /// <param name="maxBytes">The size the snapshots should fit in (bytes of file content).</param>
    /// <param name="cancellationToken">Stops before the next removal.</param>
    /// <returns>Bytes of snapshot content removed.</returns>
    public Task<long> CollectAsync(IReadOnlySet<string> inUseSnapshots, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inUseSnapshots);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        return _collector.CollectAsync(inUseSnapshots, maxBytes, cancellationToken);
    }

    public void Dispose() => _records.Dispose();

    private static ImageConfig ParseConfig(ImageReference reference, byte[] json)
    {
        try
        {
            var config = ImageConfig.Parse(json);
            return config.RootFs?.DiffIds is null ? throw new JsonException("rootfs.diff_ids is missing") : config;
        }
        catch (JsonException e)
        {
            throw new ImagePullException($"failed to unpack image {RegistryClient.Display(reference)}: invalid image config: {e.Message}", e);
        }
    }

    /// <summary>The recorded image when every one of its snapshots is still committed (each added to the lease); null otherwise.</summary>
    private async Task<PulledImage?> TryPullLocallyAsync(ImageReference reference, string key, SnapshotLeases.Lease lease, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var record = _records.Find(key);
        if (record is null)
        {
            return null;
        }
        foreach (var layer in record.Layers.DistinctBy(l => l.Digest, StringComparer.Ordinal))
        {
            var hex = SnapshotStore.HexOf(layer.Digest);
            using (await _snapshots.LockAsync(hex, cancellationToken).ConfigureAwait(false))
            {
                if (!_snapshots.Exists(hex))
                {
                    return null;
                }
                lease.Add(hex);
            }
            progress?.Report(new PullProgress(layer.Digest, layer.Size, layer.Size));
        }
        // LastUsed orders the cache's eviction: a minute's precision is plenty, and fifty tasks starting from one
        // image then write its record once, not fifty times.
        if (_time.GetUtcNow() - record.LastUsed > TimeSpan.FromMinutes(1))
        {
            record = record with { LastUsed = _time.GetUtcNow() };
            await _records.SaveAsync(key, record, cancellationToken).ConfigureAwait(false);
        }
        return ToPulledImage(reference, record);
    }

    private PulledImage ToPulledImage(ImageReference reference, ImageRecord record) =>
        new(reference, record.ManifestDigest, record.Config, [.. record.Layers.Select(l => _snapshots.PathOf(SnapshotStore.HexOf(l.Digest)))]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled {Reference} ({ManifestDigest}, {Layers} layers) in {Milliseconds} ms")]
    private static partial void LogPulled(ILogger logger, string reference, string manifestDigest, int layers, long milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Served {Reference} ({ManifestDigest}) from the local record")]
    private static partial void LogServedLocally(ILogger logger, string reference, string manifestDigest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulling {Reference} failed: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string reference, string reason);
}
