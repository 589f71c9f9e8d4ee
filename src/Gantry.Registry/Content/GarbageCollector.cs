using Gantry.Oci;
using Gantry.Registry.Catalog;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Registry.Content;

/// <summary>What one collection removed.</summary>
public sealed record CollectionResult(int LinksRemoved, int BlobsRemoved, long BytesFreed, int UploadsRemoved);

/// <summary>
/// Removes what nothing references, safely while pushes are in flight on any replica sharing the blob directory
/// (it runs on one replica, the leader):
/// 1. stale uploads (no chunk for more than <c>uploadExpiry</c>, and not locked by a replica writing one);
/// 2. per repository, blob links no image references, linked more than <c>grace</c> ago (deleted at the version
///    read, so a manifest push that re-asserts the link in the same moment wins);
/// 3. blobs no repository links whose file is older than <c>grace</c>: each is first moved aside (and put back at
///    once if it was published again since it was listed: publishing touches the file first), then the links are
///    read again and any blob that gained a link meanwhile is put back.
/// </summary>
public sealed partial class GarbageCollector(ImageCatalog catalog, UploadStore uploads, TimeProvider time, ILogger<GarbageCollector> logger)
{
    public async Task<CollectionResult> CollectAsync(TimeSpan grace, TimeSpan uploadExpiry, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var uploadsRemoved = uploads.RemoveStale(now - uploadExpiry);
        var linksRemoved = await RemoveUnreferencedLinksAsync(now - grace, ct).ConfigureAwait(false);
        var linked = await LinkedDigestsAsync(ct).ConfigureAwait(false);
        var buried = new List<(Digest Digest, string Tombstone, long Size)>();
        foreach (var (digest, writtenAt) in catalog.Blobs.Enumerate().ToList())
        {
            if (linked.Contains(digest.ToString()) || writtenAt > now - grace)
            {
                continue;
            }
            var size = catalog.Blobs.SizeOf(digest) ?? 0;
            if (catalog.Blobs.Bury(digest) is not { } tombstone)
            {
                continue;
            }
            if (File.GetLastWriteTimeUtc(tombstone) > now - grace)
            {
                catalog.Blobs.Restore(tombstone, digest); // published again (on any replica) since it was listed
                continue;
            }
            buried.Add((digest, tombstone, size));
        }
        long freed = 0;
        var removed = 0;
        if (buried.Count > 0)
        {
            var relinked = await LinkedDigestsAsync(ct).ConfigureAwait(false);
            foreach (var (digest, tombstone, size) in buried)
            {
                if (relinked.Contains(digest.ToString()))
                {
                    catalog.Blobs.Restore(tombstone, digest);
                    continue;
                }
                File.Delete(tombstone);
                freed += size;
                removed++;
            }
        }
        var result = new CollectionResult(linksRemoved, removed, freed, uploadsRemoved);
        LogCollected(logger, result.LinksRemoved, result.BlobsRemoved, result.BytesFreed, result.UploadsRemoved);
        return result;
    }

    public async Task RunAsync(GcSchedule schedule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        using var timer = new PeriodicTimer(schedule.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await CollectAsync(schedule.Grace, schedule.UploadExpiry, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<int> RemoveUnreferencedLinksAsync(DateTimeOffset linkedBefore, CancellationToken ct)
    {
        var removed = 0;
        string? after = null;
        while (true)
        {
            var page = await catalog.Documents.ListAsync<RepositoryRecord>(CatalogKinds.Repository, null, after, 100, ct).ConfigureAwait(false);
            foreach (var repo in page.Select(p => p.Value.Name))
            {
                var images = await catalog.ListImagesAsync(repo, ct).ConfigureAwait(false);
                var referenced = images.SelectMany(i => i.Blobs.Append(i.Digest)).ToHashSet(StringComparer.Ordinal);
                var prefix = CatalogKinds.ImagePrefix(repo);
                foreach (var link in await catalog.Documents.Store.ListAsync(CatalogKinds.Blob, prefix, null, int.MaxValue, ct).ConfigureAwait(false))
                {
                    var digest = link.Key[prefix.Length..];
                    var value = System.Text.Json.JsonSerializer.Deserialize<BlobLink>(link.Body, ImageCatalog.Json)!;
                    if (referenced.Contains(digest) || value.LinkedAt > linkedBefore)
                    {
                        continue;
                    }
                    try
                    {
                        await catalog.Documents.Store.CommitAsync([new DeleteOp(CatalogKinds.Blob, link.Key, link.Version)], ct).ConfigureAwait(false);
                        removed++;
                    }
                    catch (ConcurrencyConflictException)
                    {
                        // A push re-asserted the link: it is in use.
                    }
                }
            }
            if (page.Count < 100)
            {
                return removed;
            }
            after = page[^1].Value.Name;
        }
    }

    private async Task<HashSet<string>> LinkedDigestsAsync(CancellationToken ct)
    {
        var digests = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var page = await catalog.Documents.Store.ListAsync(CatalogKinds.Blob, null, after, 5000, ct).ConfigureAwait(false);
            foreach (var link in page)
            {
                digests.Add(link.Key[(link.Key.LastIndexOf('@') + 1)..]);
            }
            if (page.Count < 5000)
            {
                return digests;
            }
            after = page[^1].Key;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registry GC: {Links} links, {Blobs} blobs ({Bytes} bytes), {Uploads} stale uploads removed")]
    private static partial void LogCollected(ILogger logger, int links, int blobs, long bytes, int uploads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registry garbage collection failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
