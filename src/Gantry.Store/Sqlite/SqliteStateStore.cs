using Microsoft.Data.Sqlite;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The embedded state store: one SQLite file in WAL mode with synchronous=FULL, so a commit that returned
/// is on disk and survives kill -9. One writer connection serialises commits, concurrent ones grouped into one
/// transaction; reads use a pool of
/// connections with prepared statements and run concurrently with the writer. Point reads are served from
/// an <see cref="ObjectCache"/> kept coherent by write-through: a database has exactly one Gantry process.
/// </summary>
public sealed class SqliteStateStore : IStateStore
{
    private readonly SqlitePool<SqliteConnection, SqliteReader> _connections;
    private readonly ObjectCache _cache = new(CacheCapacity, CacheCharacters);
    private const int CacheCapacity = 100_000;
    private const long CacheCharacters = 16L * 1024 * 1024; // 32 MiB of bodies: a few thousand tasks (~2,000 characters each) and instances
    private readonly GroupCommit _commits = new();
    private readonly RevisionSignal _revision;

    private SqliteStateStore(string connectionString, SqliteConnection writer, long revision)
    {
        _connections = new(writer, () => new SqliteReader(connectionString));
        _revision = new RevisionSignal(revision);
    }

    public long CurrentRevision => _revision.Current;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and applies missing migrations.</summary>
    public static Task<SqliteStateStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connectionString = SqliteConnectionString.ForPrivateFile(path);
        var writer = new SqliteConnection(connectionString);
        writer.Open();
        try
        {
            SqliteCommands.Execute(writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
            SqliteMigrations.Apply(writer);
            var revision = SqliteCommands.ReadRevision(writer, null);
            return Task.FromResult(new SqliteStateStore(connectionString, writer, revision));
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    public Task<StoredObject?> GetAsync(string kind, string key, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(kind, key, out var cached))
        {
            return Task.FromResult(cached.Object);
        }
        var readStart = CurrentRevision;
        var stored = _connections.Read(reader => reader.Get(kind, key));
        _cache.Fill(kind, key, stored, readStart);
        return Task.FromResult(stored);
    }

    public Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.Read(reader => reader.List(kind, keyPrefix, afterKey, limit, descending: false)));

    public Task<IReadOnlyList<StoredObject>> ListDescendingAsync(string kind, string? keyPrefix, string? beforeKey, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.Read(reader => reader.List(kind, keyPrefix, beforeKey, limit, descending: true)));

    public Task<long> CountAsync(string kind, string? keyPrefix, CancellationToken cancellationToken) =>
        Task.FromResult(_connections.Read(reader => reader.Count(kind, keyPrefix)));

    public Task<IReadOnlyList<Change>> ChangesSinceAsync(long afterRevision, int limit, CancellationToken cancellationToken)
    {
        var (changes, compacted) = _connections.Read(reader => reader.ChangesSince(afterRevision, limit));
        return afterRevision < compacted
            ? Task.FromException<IReadOnlyList<Change>>(new ChangeFeedCompactedException(afterRevision, compacted))
            : Task.FromResult(changes);
    }

    public async Task<long> CompactChangesAsync(long throughRevision, CancellationToken cancellationToken)
    {
        var target = Math.Min(throughRevision, CurrentRevision);
        while (true)
        {
            var compacted = await _connections.WriteAsync(writer => SqliteChangeCompaction.Step(writer, target), cancellationToken).ConfigureAwait(false);
            if (compacted >= target)
            {
                return compacted;
            }
        }
    }

    /// <summary>
    /// Queues the commit and takes the writer; whoever holds it writes every queued commit in one transaction (one
    /// fsync for the group, <see cref="SqliteCommit"/>), so concurrent commits share the disk's flush instead of
    /// each waiting for its own.
    /// </summary>
    public Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfZero(operations.Count);
        return _commits.CommitAsync(operations, () => _connections.WriteAsync(CommitQueued, cancellationToken));
    }

    /// <summary>With the writer: commits the queued group and tells each member its outcome.</summary>
    private int CommitQueued(SqliteConnection writer)
    {
        var group = _commits.TakeGroup();
        if (group.Count == 0)
        {
            return 0;
        }
        List<MemberOutcome> outcomes;
        try
        {
            outcomes = SqliteCommit.ApplyGroup(writer, CurrentRevision + 1, [.. group.Select(g => g.Operations)]);
        }
        catch (Exception e)
        {
            GroupCommit.Fail(group, e); // nothing of the group was written
            return 0;
        }
        foreach (var outcome in outcomes)
        {
            outcome.Written?.ForEach(w => _cache.Written(w.Kind, w.Key, w.Value, outcome.Revision));
        }
        _revision.Advance(outcomes.Max(o => o.Revision));
        GroupCommit.Complete(group, [.. outcomes.Select(o => (o.Revision, o.Failure))]);
        return group.Count;
    }

    public Task WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken) => _revision.WaitAsync(afterRevision, cancellationToken);

    public ValueTask DisposeAsync() => _connections.DisposeAsync();
}
