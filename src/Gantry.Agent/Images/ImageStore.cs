using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gantry.Oci;
using Gantry.Oci.Build;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Images;

/// <summary>
/// Pulls images into content-addressed layer snapshots on the node:
/// <c>root/snapshots/&lt;layer digest hex&gt;</c> is a layer unpacked once (an overlayfs lower directory, shared by every image
/// that has the layer), <c>root/images/&lt;reference&gt;.json</c> records what a reference resolved to, and
/// <c>root/downloads</c> holds blobs while they are fetched and verified. A layer is downloaded to a temporary file while
/// its size and digest are checked, unpacked into <c>snapshots/&lt;hex&gt;.tmp-&lt;guid&gt;</c>, checked against the config's
/// diffID and renamed into place; one mutex per layer digest makes concurrent pulls share one download.
/// </summary>
public sealed partial class ImageStore : IDisposable
{
    private const int LayerParallelism = 3;
    private const int CopyBufferSize = 128 * 1024;
    private const long ProgressInterval = 1024 * 1024;
    private const string StagingMarker = ".tmp-";
    private const int MaxRecordFileName = 200;

    private static readonly JsonSerializerOptions RecordJson = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    private readonly string snapshots;
    private readonly string images;
    private readonly string downloads;
    private readonly RegistryClient client;
    private readonly TimeProvider time;
    private readonly ILogger<ImageStore> logger;
    private readonly KeyedLock layerLocks = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryManifest>>> resolving = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim metadataGate = new(1, 1);
    private readonly Dictionary<string, int> pins = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> snapshotSizes = new(StringComparer.Ordinal);

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
        snapshots = Directory.CreateDirectory(Path.Combine(Root, "snapshots")).FullName;
        images = Directory.CreateDirectory(Path.Combine(Root, "images")).FullName;
        downloads = Directory.CreateDirectory(Path.Combine(Root, "downloads")).FullName;
        this.client = client;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>The store's directory.</summary>
    public string Root { get; }

    /// <summary>The snapshot directory of a layer digest (whether or not it has been unpacked).</summary>
    public string SnapshotDirectory(string layerDigest)
    {
        ArgumentNullException.ThrowIfNull(layerDigest);
        return Path.Combine(snapshots, HexOf(layerDigest));
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
        var started = time.GetTimestamp();
        var key = RecordKey(reference);
        var pinned = new ConcurrentBag<string>();
        try
        {
            if (reference.Digest is not null && await TryPullLocallyAsync(reference, key, pinned, progress, cancellationToken).ConfigureAwait(false) is { } local)
            {
                LogServedLocally(logger, key, local.ManifestDigest);
                return local;
            }
            var manifest = await ResolveSharedAsync(key, reference, login, cancellationToken).ConfigureAwait(false);
            if (reference.Digest is null && LoadRecord(RecordPath(key)) is { } known && known.ManifestDigest == manifest.Digest
                && await TryPullLocallyAsync(reference, key, pinned, progress, cancellationToken).ConfigureAwait(false) is { } current)
            {
                // The tag still names the image this node has: nothing to download (as `docker pull` of an up-to-date tag).
                LogServedLocally(logger, key, current.ManifestDigest);
                return current;
            }
            var configDescriptor = manifest.Manifest.Config!;
            var config = ParseConfig(reference, await client.GetBlobAsync(reference, configDescriptor, login, cancellationToken).ConfigureAwait(false));
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
                (layer, ct) => new ValueTask(EnsureSnapshotAsync(reference, login, layer, pinned, progress, ct))).ConfigureAwait(false);
            var now = time.GetUtcNow();
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
            await SaveRecordAsync(key, record, cancellationToken).ConfigureAwait(false);
            var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
            LogPulled(logger, key, manifest.Digest, records.Count, elapsed);
            return ToPulledImage(reference, record);
        }
        catch (ImagePullException e)
        {
            LogPullFailed(logger, key, e.Message);
            throw;
        }
        finally
        {
            Unpin(pinned);
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
    public async Task<long> CollectAsync(IReadOnlySet<string> inUseSnapshots, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inUseSnapshots);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        await metadataGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RemoveLeftovers();
            var inUse = InUseHexes(inUseSnapshots);
            var sizes = Directory.EnumerateDirectories(snapshots)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => !name.Contains(StagingMarker, StringComparison.Ordinal))
                .ToDictionary(hex => hex, SnapshotSize, StringComparer.Ordinal);
            var total = sizes.Values.Sum();
            if (total <= maxBytes)
            {
                return 0;
            }
            var records = LoadRecords();
            var references = sizes.Keys.ToDictionary(hex => hex, _ => 0, StringComparer.Ordinal);
            foreach (var hex in records.SelectMany(r => r.Record.Layers.Select(l => HexOf(l.Digest)).Distinct(StringComparer.Ordinal)))
            {
                references[hex] = references.GetValueOrDefault(hex) + 1;
            }
            bool Kept(string hex) => inUse.Contains(hex) || IsPinned(hex);
            long freed = 0;
            void TryRemove(string hex)
            {
                if (total > maxBytes && references.GetValueOrDefault(hex) == 0 && !Kept(hex) && sizes.TryGetValue(hex, out var size) && TryRemoveSnapshot(hex))
                {
                    total -= size;
                    freed += size;
                    sizes.Remove(hex);
                }
            }
            foreach (var hex in sizes.Keys.ToList())
            {
                TryRemove(hex);
            }
            foreach (var (path, record) in records.Where(r => !r.Record.Layers.Any(l => Kept(HexOf(l.Digest)))).OrderBy(r => r.Record.LastUsed))
            {
                if (total <= maxBytes)
                {
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();
                File.Delete(path);
                LogImageRemoved(logger, record.Reference, record.LastUsed);
                foreach (var hex in record.Layers.Select(l => HexOf(l.Digest)).Distinct(StringComparer.Ordinal))
                {
                    references[hex]--;
                    TryRemove(hex);
                }
            }
            return freed;
        }
        finally
        {
            metadataGate.Release();
        }
    }

    public void Dispose() => metadataGate.Dispose();

    /// <summary>
    /// Resolves a reference once for every pull of it that is in flight: fifty tasks starting from one tag ask the
    /// registry once, not fifty times.
    /// </summary>
    private async Task<RegistryManifest> ResolveSharedAsync(string key, ImageReference reference, RegistryLogin? login, CancellationToken cancellationToken)
    {
        var mine = new Lazy<Task<RegistryManifest>>(() => ResolveAsync(reference, login, cancellationToken));
        var shared = resolving.GetOrAdd(key, mine);
        try
        {
            return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(shared, mine))
            {
                resolving.TryRemove(new KeyValuePair<string, Lazy<Task<RegistryManifest>>>(key, mine));
            }
        }
    }

    private async Task<RegistryManifest> ResolveAsync(ImageReference reference, RegistryLogin? login, CancellationToken cancellationToken)
    {
        var manifest = await client.GetManifestAsync(reference, reference.Reference, login, cancellationToken).ConfigureAwait(false);
        for (var depth = 0; manifest.Manifest.IsIndex; depth++)
        {
            var architecture = GoArchitecture.Current;
            var chosen = manifest.Manifest.Manifests.FirstOrDefault(m =>
                    !MediaTypes.IsIndex(m.MediaType) && m.Platform is { Os: "linux" } platform && platform.Architecture == architecture)
                ?? manifest.Manifest.Manifests.FirstOrDefault(m => MediaTypes.IsIndex(m.MediaType) && depth == 0);
            if (chosen is null)
            {
                throw new ImagePullException($"no matching manifest for linux/{architecture} in the manifest list entries of {RegistryClient.Display(reference)}");
            }
            manifest = await client.GetManifestAsync(reference, chosen.Digest, login, cancellationToken).ConfigureAwait(false);
        }
        if (manifest.Manifest.Config is null)
        {
            throw new ImagePullException($"failed to resolve ref {RegistryClient.Display(reference)}: manifest {manifest.Digest} has no config");
        }
        return manifest;
    }

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

    private async Task<PulledImage?> TryPullLocallyAsync(ImageReference reference, string key, ConcurrentBag<string> pinned, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var record = LoadRecord(RecordPath(key));
        if (record is null)
        {
            return null;
        }
        foreach (var layer in record.Layers.DistinctBy(l => l.Digest, StringComparer.Ordinal))
        {
            var hex = HexOf(layer.Digest);
            using (await layerLocks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false))
            {
                if (!Directory.Exists(Path.Combine(snapshots, hex)))
                {
                    return null;
                }
                Pin(hex, pinned);
            }
            progress?.Report(new PullProgress(layer.Digest, layer.Size, layer.Size));
        }
        // LastUsed orders the cache's eviction: a minute's precision is plenty, and fifty tasks starting from one
        // image then write its record once, not fifty times.
        if (time.GetUtcNow() - record.LastUsed > TimeSpan.FromMinutes(1))
        {
            record = record with { LastUsed = time.GetUtcNow() };
            await SaveRecordAsync(key, record, cancellationToken).ConfigureAwait(false);
        }
        return ToPulledImage(reference, record);
    }

    /// <summary>Makes sure the layer's snapshot exists, downloading and unpacking it when it does not; pins it for the rest of the pull.</summary>
    private async Task EnsureSnapshotAsync(ImageReference reference, RegistryLogin? login, LayerRecord layer, ConcurrentBag<string> pinned, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        var hex = HexOf(layer.Digest);
        using (await layerLocks.AcquireAsync(hex, cancellationToken).ConfigureAwait(false))
        {
            Pin(hex, pinned);
            var snapshot = Path.Combine(snapshots, hex);
            if (Directory.Exists(snapshot))
            {
                LogSnapshotReused(logger, layer.Digest);
                progress?.Report(new PullProgress(layer.Digest, layer.Size, layer.Size));
                return;
            }
            var started = time.GetTimestamp();
            var download = Path.Combine(downloads, $"{hex}{StagingMarker}{Guid.NewGuid():N}");
            var staging = $"{snapshot}{StagingMarker}{Guid.NewGuid():N}";
            try
            {
                await DownloadAsync(reference, login, layer, download, progress, cancellationToken).ConfigureAwait(false);
                var result = await UnpackAsync(reference, layer, download, staging, cancellationToken).ConfigureAwait(false);
                Directory.Move(staging, snapshot);
                snapshotSizes[hex] = result.Bytes;
                var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
                LogSnapshotCreated(logger, layer.Digest, layer.Size, result.Bytes, result.Entries, elapsed);
            }
            catch (IOException e)
            {
                throw new ImagePullException($"failed to extract layer {layer.Digest} of {RegistryClient.Display(reference)}: {e.Message}", e);
            }
            finally
            {
                DeleteQuietly(download);
                DeleteQuietly(staging);
            }
        }
    }

    /// <summary>Streams the blob into <paramref name="path"/>, failing as soon as it is longer than its descriptor says, and checks its digest.</summary>
    private async Task DownloadAsync(ImageReference reference, RegistryLogin? login, LayerRecord layer, string path, IProgress<PullProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Digest.TryParse(layer.Digest, out var expected))
        {
            throw new ImagePullException($"failed to copy: layer digest {layer.Digest} is not a supported digest");
        }
        var what = $"layer {layer.Digest} of {RegistryClient.Display(reference)}";
        var blob = await client.OpenBlobAsync(reference, layer.Digest, login, cancellationToken).ConfigureAwait(false);
        long done = 0;
        using var hash = expected.CreateHash();
        await using (blob.ConfigureAwait(false))
        {
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
                    while ((read = await blob.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        done += read;
                        if (done > layer.Size)
                        {
                            throw new ImagePullException($"failed to copy: {what}: size mismatch: more than the {layer.Size} bytes the manifest says");
                        }
                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        if (done - reported >= ProgressInterval)
                        {
                            reported = done;
                            progress?.Report(new PullProgress(layer.Digest, done, layer.Size));
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    throw new ImagePullException($"failed to copy: {what}: {e.Message}", e);
                }
            }
        }
        if (done != layer.Size)
        {
            throw new ImagePullException($"failed to copy: {what}: size mismatch: got {done} bytes, the manifest says {layer.Size}");
        }
        var actual = Digest.FromHash(expected.Algorithm, hash);
        if (actual != expected)
        {
            throw new ImagePullException($"failed to copy: {what}: digest mismatch: the registry sent content with digest {actual}");
        }
        progress?.Report(new PullProgress(layer.Digest, done, layer.Size));
    }

    private static async Task<LayerUnpackResult> UnpackAsync(ImageReference reference, LayerRecord layer, string download, string staging, CancellationToken cancellationToken)
    {
        LayerUnpackResult result;
        var file = new FileStream(download, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = CopyBufferSize,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
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

    private PulledImage ToPulledImage(ImageReference reference, ImageRecord record) =>
        new(reference, record.ManifestDigest, record.Config, [.. record.Layers.Select(l => Path.Combine(snapshots, HexOf(l.Digest)))]);

    private async Task SaveRecordAsync(string key, ImageRecord record, CancellationToken cancellationToken)
    {
        var path = RecordPath(key);
        var temporary = $"{path}{StagingMarker}{Guid.NewGuid():N}";
        await metadataGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(record, RecordJson), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e)
        {
            DeleteQuietly(temporary);
            throw new ImagePullException($"failed to record image {key}: {e.Message}", e);
        }
        finally
        {
            metadataGate.Release();
        }
    }

    private ImageRecord? LoadRecord(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ImageRecord>(File.ReadAllBytes(path), RecordJson);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            LogRecordUnreadable(logger, path, e.Message);
            return null;
        }
    }

    private List<(string Path, ImageRecord Record)> LoadRecords() =>
        [.. Directory.EnumerateFiles(images, "*.json")
            .Select(path => (Path: path, Record: LoadRecord(path)))
            .Where(r => r.Record is not null)
            .Select(r => (r.Path, r.Record!))];

    /// <summary>Removes staging directories and partial downloads that no pull holds (left by a crash).</summary>
    private void RemoveLeftovers()
    {
        foreach (var path in Directory.EnumerateFiles(images, $"*{StagingMarker}*"))
        {
            DeleteQuietly(path); // records are written under the gate this runs under
        }
        foreach (var path in Directory.EnumerateFileSystemEntries(snapshots, $"*{StagingMarker}*").Concat(Directory.EnumerateFiles(downloads)))
        {
            var name = Path.GetFileName(path);
            var marker = name.IndexOf(StagingMarker, StringComparison.Ordinal);
            using var held = marker > 0 ? layerLocks.TryAcquire(name[..marker]) : null;
            if (held is not null || marker <= 0)
            {
                DeleteQuietly(path);
            }
        }
    }

    /// <summary>Moves the snapshot aside and deletes it, unless a pull holds its layer right now.</summary>
    private bool TryRemoveSnapshot(string hex)
    {
        using var held = layerLocks.TryAcquire(hex);
        if (held is null || IsPinned(hex))
        {
            return false;
        }
        var snapshot = Path.Combine(snapshots, hex);
        var doomed = $"{snapshot}{StagingMarker}{Guid.NewGuid():N}";
        try
        {
            Directory.Move(snapshot, doomed);
        }
        catch (IOException e)
        {
            LogRemoveFailed(logger, snapshot, e.Message);
            return false;
        }
        snapshotSizes.TryRemove(hex, out _);
        DeleteQuietly(doomed);
        LogSnapshotRemoved(logger, hex);
        return true;
    }

    private long SnapshotSize(string hex) => snapshotSizes.GetOrAdd(hex, h =>
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var files = new FileSystemEnumerable<long>(Path.Combine(snapshots, h), (ref FileSystemEntry entry) => entry.Length, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        return files.Sum();
    });

    private HashSet<string> InUseHexes(IReadOnlySet<string> inUse)
    {
        var hexes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in inUse)
        {
            if (Digest.TryParse(item, out var digest))
            {
                hexes.Add(digest.Hex);
                continue;
            }
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(item));
            if (string.Equals(Path.GetDirectoryName(full), snapshots, StringComparison.Ordinal))
            {
                hexes.Add(Path.GetFileName(full));
            }
        }
        return hexes;
    }

    private void Pin(string hex, ConcurrentBag<string> pinned)
    {
        lock (pins)
        {
            pins[hex] = pins.GetValueOrDefault(hex) + 1;
        }
        pinned.Add(hex);
    }

    private void Unpin(IEnumerable<string> pinned)
    {
        lock (pins)
        {
            foreach (var hex in pinned)
            {
                if (--pins[hex] == 0)
                {
                    pins.Remove(hex);
                }
            }
        }
    }

    private bool IsPinned(string hex)
    {
        lock (pins)
        {
            return pins.ContainsKey(hex);
        }
    }

    /// <summary>The reference a record is kept under: <c>registry/repository@digest</c> when pinned, else <c>registry/repository:tag</c>.</summary>
    private static string RecordKey(ImageReference reference) =>
        reference.Digest is not null ? $"{reference.Registry}/{reference.Repository}@{reference.Digest}" : $"{reference.Registry}/{reference.Repository}:{reference.Tag ?? "latest"}";

    /// <summary><c>images/&lt;escaped key&gt;.json</c>; very long keys are shortened and made unique with a hash.</summary>
    private string RecordPath(string key)
    {
        var name = Uri.EscapeDataString(key);
        if (name.Length > MaxRecordFileName)
        {
            name = $"{name[..(MaxRecordFileName - 65)]}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";
        }
        return Path.Combine(images, name + ".json");
    }

    private static string HexOf(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var hex = colon < 0 ? digest : digest[(colon + 1)..];
        return hex.Length > 0 && hex.All(char.IsAsciiHexDigitLower) ? hex : throw new ImagePullException($"'{digest}' is not a valid digest");
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) == 0)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled {Reference} ({ManifestDigest}, {Layers} layers) in {Milliseconds} ms")]
    private static partial void LogPulled(ILogger logger, string reference, string manifestDigest, int layers, long milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Served {Reference} ({ManifestDigest}) from the local record")]
    private static partial void LogServedLocally(ILogger logger, string reference, string manifestDigest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulling {Reference} failed: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string reference, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Layer {Digest} is already unpacked")]
    private static partial void LogSnapshotReused(ILogger logger, string digest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unpacked layer {Digest} ({BlobBytes} bytes) into {Bytes} bytes, {Entries} entries, in {Milliseconds} ms")]
    private static partial void LogSnapshotCreated(ILogger logger, string digest, long blobBytes, long bytes, long entries, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed image record {Reference} (last used {LastUsed:O})")]
    private static partial void LogImageRemoved(ILogger logger, string reference, DateTimeOffset lastUsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed snapshot {Hex}")]
    private static partial void LogSnapshotRemoved(ILogger logger, string hex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove snapshot {Path}: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring unreadable image record {Path}: {Reason}")]
    private static partial void LogRecordUnreadable(ILogger logger, string path, string reason);
}
