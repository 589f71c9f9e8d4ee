using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Images;

/// <summary>
/// The garbage collector of the image store: keeps the snapshots under a size budget. Leftovers of interrupted pulls go
/// first (whenever no pull holds their layer), then snapshots no image record references, then the records of images not in
/// use, least recently used first, each with the snapshots no remaining record references, until the total fits. A snapshot
/// in use or held by a lease is never removed. Runs under the records' lock, so no record is written while it decides.
/// </summary>
internal sealed partial class ImageCollector(ImageRecords records, SnapshotStore snapshots, SnapshotLeases leases, BlobFetcher fetcher, ILogger logger)
{
    /// <summary>Brings the snapshots under <paramref name="maxBytes"/>; returns the bytes of snapshot content removed.</summary>
    /// <param name="inUseSnapshots">Snapshot directories or layer digests to keep; an image with any of them is in use and kept.</param>
    public async Task<long> CollectAsync(IReadOnlySet<string> inUseSnapshots, long maxBytes, CancellationToken cancellationToken)
    {
        using (await records.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            RemoveLeftovers();
            var inUse = inUseSnapshots.Select(snapshots.HexOfItem).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var sizes = snapshots.Committed().ToDictionary(hex => hex, snapshots.Usage, StringComparer.Ordinal);
            var total = sizes.Values.Sum();
            if (total <= maxBytes)
            {
                return 0;
            }
            var all = records.LoadAll();
            var references = sizes.Keys.ToDictionary(hex => hex, _ => 0, StringComparer.Ordinal);
            foreach (var hex in all.SelectMany(r => HexesOf(r.Record)))
            {
                references[hex] = references.GetValueOrDefault(hex) + 1;
            }
            bool Kept(string hex) => inUse.Contains(hex) || leases.IsLeased(hex);
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
            foreach (var (path, record) in all.Where(r => !r.Record.Layers.Any(l => Kept(SnapshotStore.HexOf(l.Digest)))).OrderBy(r => r.Record.LastUsed))
            {
                if (total <= maxBytes)
                {
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();
                ImageRecords.Delete(path);
                LogImageRemoved(logger, record.Reference, record.LastUsed);
                foreach (var hex in HexesOf(record))
                {
                    references[hex]--;
                    TryRemove(hex);
                }
            }
            return freed;
        }
    }

    private static IEnumerable<string> HexesOf(ImageRecord record) =>
        record.Layers.Select(l => SnapshotStore.HexOf(l.Digest)).Distinct(StringComparer.Ordinal);

    /// <summary>Removes staging files and directories and downloads that no pull holds (left by a crash).</summary>
    private void RemoveLeftovers()
    {
        records.RemoveLeftovers();
        foreach (var path in snapshots.Staged().Concat(fetcher.Ingests()))
        {
            var hex = Staging.FinalNameOf(path);
            using var held = hex is not null ? snapshots.TryLock(hex) : null;
            if (held is not null || hex is null)
            {
                Staging.DeleteQuietly(path);
            }
        }
    }

    /// <summary>Removes the snapshot unless a pull holds its layer right now or a lease keeps it.</summary>
    private bool TryRemoveSnapshot(string hex)
    {
        using var held = snapshots.TryLock(hex);
        return held is not null && !leases.IsLeased(hex) && snapshots.Remove(hex);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed image record {Reference} (last used {LastUsed:O})")]
    private static partial void LogImageRemoved(ILogger logger, string reference, DateTimeOffset lastUsed);
}
