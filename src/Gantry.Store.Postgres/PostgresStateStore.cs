using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gantry.Store.Postgres;

/// <summary>
/// The shared state store: PostgreSQL, which every control plane replica reads and writes. Commits lock the revision
/// row, so revisions are dense and ordered across replicas; expected versions are checked inside the transaction
/// (optimistic concurrency exactly as the SQLite store); a committed transaction is durable as PostgreSQL makes it.
/// Commits by other replicas are learnt from LISTEN/NOTIFY (and the revision read again after a reconnect). No read
/// cache: another replica may have written any object. While PostgreSQL cannot be reached every call throws
/// <see cref="StoreUnavailableException"/> (<see cref="PostgresFaults"/>); the next call after it is back works.
/// </summary>
public sealed class PostgresStateStore : IStateStore
{
    private readonly NpgsqlDataSource _source;
    private readonly PostgresChangeListener _listener;
    private readonly RevisionSignal _revision = new(0);
    private readonly GroupCommit _commits = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    private PostgresStateStore(NpgsqlDataSource source, TimeProvider time, ILogger logger)
    {
        _source = source;
        _listener = new PostgresChangeListener(source, _revision.Advance, time, logger);
    }

    public long CurrentRevision => _revision.Current;

    /// <summary>Connects, applies missing migrations and starts following other replicas' commits.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    public static async Task<PostgresStateStore> OpenAsync(string connectionString, CancellationToken ct, TimeProvider? time = null, ILogger? logger = null)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            await PostgresMigrations.ApplyAsync(source, ct).ConfigureAwait(false);
            var store = new PostgresStateStore(source, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
            await store._listener.StartAsync(ct).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<StoredObject?> GetAsync(string kind, string key, CancellationToken cancellationToken) =>
        PostgresFaults.GuardAsync(() => PostgresReads.GetAsync(_source, kind, key, cancellationToken));

    public Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken cancellationToken) =>
        PostgresFaults.GuardAsync(() => PostgresReads.ListAsync(_source, kind, keyPrefix, afterKey, limit, descending: false, cancellationToken));

    public Task<IReadOnlyList<StoredObject>> ListDescendingAsync(string kind, string? keyPrefix, string? beforeKey, int limit, CancellationToken cancellationToken) =>
        PostgresFaults.GuardAsync(() => PostgresReads.ListAsync(_source, kind, keyPrefix, beforeKey, limit, descending: true, cancellationToken));

    public Task<long> CountAsync(string kind, string? keyPrefix, CancellationToken cancellationToken) =>
        PostgresFaults.GuardAsync(() => PostgresReads.CountAsync(_source, kind, keyPrefix, cancellationToken));

    public Task<IReadOnlyList<Change>> ChangesSinceAsync(long afterRevision, int limit, CancellationToken cancellationToken) =>
        PostgresFaults.GuardAsync(() => PostgresReads.ChangesSinceAsync(_source, afterRevision, limit, cancellationToken));

    public async Task<long> CompactChangesAsync(long throughRevision, CancellationToken cancellationToken)
    {
        var target = Math.Min(throughRevision, CurrentRevision);
        while (true)
        {
            var compacted = await PostgresFaults.GuardAsync(() => PostgresChangeCompaction.StepAsync(_source, target, cancellationToken)).ConfigureAwait(false);
            if (compacted >= target)
            {
                return compacted;
            }
        }
    }

    /// <summary>Commits of this replica are grouped (<see cref="GroupCommit"/>): one transaction and one WAL flush
    /// for all that queued while the previous group was written.</summary>
    public Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentOutOfRangeException.ThrowIfZero(operations.Count);
        return _commits.CommitAsync(operations, async () =>
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await CommitQueuedAsync().ConfigureAwait(false);
            }
            finally
            {
                _writer.Release();
            }
        });
    }

    /// <summary>Writes the queued group for every member, so no member's cancellation cuts the others' commit short.</summary>
    private async Task CommitQueuedAsync()
    {
        var group = _commits.TakeGroup();
        if (group.Count == 0)
        {
            return;
        }
        IReadOnlyList<(long Revision, Exception? Failure)> outcomes;
        try
        {
            outcomes = await PostgresFaults.GuardAsync(async () =>
            {
                await using var connection = await _source.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
                return await PostgresCommit.ApplyGroupAsync(connection, [.. group.Select(g => g.Operations)], CancellationToken.None).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            GroupCommit.Fail(group, e);
            return;
        }
        _revision.Advance(outcomes.Max(o => o.Revision));
        GroupCommit.Complete(group, outcomes);
    }

    public Task WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken) => _revision.WaitAsync(afterRevision, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync().ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
        _writer.Dispose();
    }
}
