using System.Collections.Concurrent;

namespace Gantry.Store.Sqlite;

/// <summary>
/// Recently read and written objects, so hot reads skip SQLite. Coherent because this process is the database's
/// only writer: every commit writes its objects (or tombstones for deletes) through, and a reader's fill never
/// replaces an entry from a newer revision. Bounded: cleared when it grows past its capacity.
/// </summary>
internal sealed class ObjectCache(int capacity)
{
    private readonly ConcurrentDictionary<(string Kind, string Key), Entry> _entries = new();
    private long _oldestTrustedRead;

    /// <summary>A cached object or tombstone; <see cref="Object"/> is null when the key is known to be absent.</summary>
    public readonly record struct Entry(StoredObject? Object, long Revision);

    public bool TryGet(string kind, string key, out Entry entry) => _entries.TryGetValue((kind, key), out entry);

    /// <summary>
    /// A reader's fill, from a read that started when the store was at <paramref name="readStartRevision"/>. Kept
    /// only if nothing newer is cached and no clear happened since the read started (the clear may have dropped
    /// a newer write-through).
    /// </summary>
    public void Fill(string kind, string key, StoredObject? value, long readStartRevision)
    {
        if (readStartRevision < Interlocked.Read(ref _oldestTrustedRead))
        {
            return;
        }
        var candidate = new Entry(value, value?.Revision ?? readStartRevision);
        EnsureRoom(readStartRevision);
        _entries.AddOrUpdate((kind, key), candidate, (_, existing) => existing.Revision >= candidate.Revision ? existing : candidate);
    }

    /// <summary>A commit's write-through: always wins.</summary>
    public void Written(string kind, string key, StoredObject? value, long revision)
    {
        EnsureRoom(revision);
        _entries[(kind, key)] = new Entry(value, revision);
    }

    private void EnsureRoom(long revision)
    {
        if (_entries.Count >= capacity)
        {
            Interlocked.Exchange(ref _oldestTrustedRead, revision);
            _entries.Clear();
        }
    }
}
