namespace Gantry.Store;

/// <summary>
/// A store that passes every read through to another and changes only how commits go (e.g. adding a fencing check).
/// Disposing it leaves the inner store to its owner.
/// </summary>
public abstract class CommitDecorator(IStateStore inner) : IStateStore
{
    protected IStateStore Inner => inner;

    public long CurrentRevision => inner.CurrentRevision;

    public abstract Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken);

    public Task<StoredObject?> GetAsync(string kind, string key, CancellationToken cancellationToken) => inner.GetAsync(kind, key, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(kind, keyPrefix, afterKey, limit, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListDescendingAsync(string kind, string? keyPrefix, string? beforeKey, int limit, CancellationToken cancellationToken) =>
        inner.ListDescendingAsync(kind, keyPrefix, beforeKey, limit, cancellationToken);

    public Task<long> CountAsync(string kind, string? keyPrefix, CancellationToken cancellationToken) => inner.CountAsync(kind, keyPrefix, cancellationToken);

    public Task<IReadOnlyList<Change>> ChangesSinceAsync(long afterRevision, int limit, CancellationToken cancellationToken) =>
        inner.ChangesSinceAsync(afterRevision, limit, cancellationToken);

    public Task<long> CompactChangesAsync(long throughRevision, CancellationToken cancellationToken) => inner.CompactChangesAsync(throughRevision, cancellationToken);

    public Task WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken) => inner.WaitForChangeAsync(afterRevision, cancellationToken);

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
