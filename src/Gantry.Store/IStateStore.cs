namespace Gantry.Store;

/// <summary>
/// The control plane's state: a set of JSON documents addressed by (kind, key), each with a
/// version for optimistic concurrency, plus a global revision that grows by one per commit so
/// controllers and agents can watch for changes. Implementations: SQLite (embedded), PostgreSQL (HA).
/// </summary>
public interface IStateStore : IAsyncDisposable
{
    /// <summary>The revision of the newest committed write (0 for an empty store).</summary>
    long CurrentRevision { get; }

    Task<StoredObject?> GetAsync(string kind, string key, CancellationToken cancellationToken);

    /// <summary>Objects of one kind in key order, keys starting with <paramref name="keyPrefix"/>, strictly after <paramref name="afterKey"/>.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken cancellationToken);

    /// <summary>Like <see cref="ListAsync"/> in reverse key order, keys strictly before <paramref name="beforeKey"/>.</summary>
    Task<IReadOnlyList<StoredObject>> ListDescendingAsync(string kind, string? keyPrefix, string? beforeKey, int limit, CancellationToken cancellationToken);

    /// <summary>Number of objects of one kind whose key starts with <paramref name="keyPrefix"/>.</summary>
    Task<long> CountAsync(string kind, string? keyPrefix, CancellationToken cancellationToken);

    /// <summary>
    /// Applies all operations atomically and durably, or none. Throws <see cref="ConcurrencyConflictException"/>
    /// when an expected version does not match. Returns the revision of the commit.
    /// </summary>
    Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken);

    /// <summary>Changes with a revision greater than <paramref name="afterRevision"/>, oldest first: about
    /// <paramref name="limit"/> of them, in whole revisions (a commit larger than the limit comes whole), so a reader
    /// can go on after the last revision it got.</summary>
    /// <exception cref="ChangeFeedCompactedException">Some of those changes were compacted away: the caller reads the
    /// state again (lists) and follows the feed from the revision it read at.</exception>
    Task<IReadOnlyList<Change>> ChangesSinceAsync(long afterRevision, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets the changes of every revision up to <paramref name="throughRevision"/> (at most <see cref="CurrentRevision"/>),
    /// so the feed stays bounded; the objects themselves are untouched. Only moves forward. Returns the revision the feed
    /// is now compacted through: asking for the changes after an older revision throws <see cref="ChangeFeedCompactedException"/>.
    /// </summary>
    Task<long> CompactChangesAsync(long throughRevision, CancellationToken cancellationToken);

    /// <summary>Completes when <see cref="CurrentRevision"/> exceeds <paramref name="afterRevision"/>.</summary>
    Task WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken);
}

/// <param name="Version">Starts at 1 on creation, grows by one per update of this object.</param>
/// <param name="Revision">The store revision of the commit that last wrote this object.</param>
public sealed record StoredObject(string Kind, string Key, long Version, long Revision, string Body);

public abstract record WriteOp(string Kind, string Key, long? ExpectedVersion)
{
    /// <summary>Expected version meaning "the object must not exist yet".</summary>
    public const long MustNotExist = 0;
}

/// <summary>Creates or replaces an object. <c>ExpectedVersion</c>: null = any, 0 = must not exist, n = must be at version n.</summary>
public sealed record PutOp(string Kind, string Key, string Body, long? ExpectedVersion = null) : WriteOp(Kind, Key, ExpectedVersion);

/// <summary>Deletes an object. Deleting a missing object with a null expected version is a no-op.</summary>
public sealed record DeleteOp(string Kind, string Key, long? ExpectedVersion = null) : WriteOp(Kind, Key, ExpectedVersion);

/// <summary>Asserts that an object is at <c>Version</c> (0: does not exist) and writes nothing: a commit that
/// must only apply while another object stays as it was read (e.g. a fencing token).</summary>
public sealed record CheckOp(string Kind, string Key, long Version) : WriteOp(Kind, Key, Version);

/// <param name="Body">The new body, or null when the object was deleted.</param>
public sealed record Change(long Revision, string Kind, string Key, long Version, string? Body);

/// <summary>The changes after <see cref="AfterRevision"/> are no longer all in the feed (compacted through
/// <see cref="CompactedThrough"/>): read the state again and follow the feed from the revision read at.</summary>
public sealed class ChangeFeedCompactedException(long afterRevision, long compactedThrough)
    : Exception(string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"The changes after revision {afterRevision} were compacted (the feed holds only those after revision {compactedThrough}); read the state again."))
{
    public long AfterRevision { get; } = afterRevision;
    public long CompactedThrough { get; } = compactedThrough;
}

public sealed class ConcurrencyConflictException(string kind, string key, long? expected, long actual)
    : Exception($"{kind}/{key}: expected version {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any"}, found {actual}")
{
    public string Kind { get; } = kind;
    public string Key { get; } = key;
    public long? ExpectedVersion { get; } = expected;
    /// <summary>The version found (0 when the object does not exist).</summary>
    public long ActualVersion { get; } = actual;
}
