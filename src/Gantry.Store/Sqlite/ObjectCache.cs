using System.Collections.Concurrent;

namespace Gantry.Store.Sqlite;

/// <summary>
/// Recently read and written objects, so hot reads skip SQLite. Coherent because this process is the database's
/// only writer: every commit writes its objects (or tombstones for deletes) through, and a reader's fill never
/// replaces an entry from a newer revision. Bounded by entries and by the characters of the bodies it holds (a
/// task's body is kilobytes, and a cluster of 50,000 tasks would otherwise keep every one): cleared when it would
/// grow past either.
/// </summary>
internal sealed class ObjectCache(int capacity, long characters)
{
    private readonly ConcurrentDictionary<(string Kind, string Key), Entry> _entries = new();
    private readonly Lock _writing = new();
    private long _oldestTrustedRead;
    private long _held;

    /// <summary>A cached object or tombstone; <see cref="Object"/> is null when the key is known to be absent.</summary>
    public readonly record struct Entry(StoredObject? Object, long Revision)
    {
        public int Characters => Object?.Body.Length ?? 0;
    }

    /// <summary>The characters of the bodies held now.</summary>
    public long Characters => Interlocked.Read(ref _held);

    public bool TryGet(string kind, string key, out Entry entry) => _entries.TryGetValue((kind, key), out entry);

    /// <summary>
    /// A reader's fill, from a read that started when the store was at <paramref name="readStartRevision"/>. Kept
    /// only if nothing newer is cached and no clear happened since the read started (the clear may have dropped
    /// a newer write-through).
    /// </summary>
    public void Fill(string kind, string key, StoredObject? value, long readStartRevision)
    {
        var candidate = new Entry(value, value?.Revision ?? readStartRevision);
        lock (_writing)
        {
            if (readStartRevision < _oldestTrustedRead)
            {
                return;
            }
            EnsureRoom(readStartRevision, candidate.Characters);
            if (!_entries.TryGetValue((kind, key), out var existing) || existing.Revision < candidate.Revision)
            {
                Put((kind, key), candidate);
            }
        }
    }

    /// <summary>A commit's write-through: always wins.</summary>
    public void Written(string kind, string key, StoredObject? value, long revision)
    {
        var entry = new Entry(value, revision);
        lock (_writing)
        {
            EnsureRoom(revision, entry.Characters);
            Put((kind, key), entry);
        }
    }

    private void Put((string Kind, string Key) key, Entry entry)
    {
        var replaced = _entries.TryGetValue(key, out var old) ? old.Characters : 0;
        _entries[key] = entry;
        Interlocked.Add(ref _held, entry.Characters - replaced);
    }

    private void EnsureRoom(long revision, int incoming)
    {
        if (_entries.Count >= capacity || _held + incoming > characters)
        {
            _oldestTrustedRead = revision;
            _entries.Clear();
            Interlocked.Exchange(ref _held, 0);
        }
    }
}
