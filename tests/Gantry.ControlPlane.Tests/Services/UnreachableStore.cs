using Gantry.Store;

namespace Gantry.ControlPlane.Tests.Services;

/// <summary>A state store that refuses every call while <see cref="Down"/> (as PostgreSQL stopped or cut off does), and
/// otherwise passes the call to the real store; counts the calls it refused and the reads it served.</summary>
internal sealed class UnreachableStore(IStateStore store) : IStateStore
{
    private int _refused, _served;

    public volatile bool Down;

    public int Refused => Volatile.Read(ref _refused);

    public int Served => Volatile.Read(ref _served);

    public long CurrentRevision => store.CurrentRevision;

    public Task<StoredObject?> GetAsync(string kind, string key, CancellationToken cancellationToken) =>
        Call(() => store.GetAsync(kind, key, cancellationToken));

    public Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken cancellationToken) =>
        Call(() => store.ListAsync(kind, keyPrefix, afterKey, limit, cancellationToken));

    public Task<IReadOnlyList<StoredObject>> ListDescendingAsync(string kind, string? keyPrefix, string? beforeKey, int limit, CancellationToken cancellationToken) =>
        Call(() => store.ListDescendingAsync(kind, keyPrefix, beforeKey, limit, cancellationToken));

    public Task<long> CountAsync(string kind, string? keyPrefix, CancellationToken cancellationToken) =>
        Call(() => store.CountAsync(kind, keyPrefix, cancellationToken));

    public Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken) =>
        Call(() => store.CommitAsync(operations, cancellationToken));

    public Task<IReadOnlyList<Change>> ChangesSinceAsync(long afterRevision, int limit, CancellationToken cancellationToken) =>
        Call(() => store.ChangesSinceAsync(afterRevision, limit, cancellationToken));

    public Task<long> CompactChangesAsync(long throughRevision, CancellationToken cancellationToken) =>
        Call(() => store.CompactChangesAsync(throughRevision, cancellationToken));

    public Task WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken) => store.WaitForChangeAsync(afterRevision, cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();

    private Task<T> Call<T>(Func<Task<T>> call)
    {
        if (Down)
        {
            Interlocked.Increment(ref _refused);
            return Task.FromException<T>(new IOException("Failed to connect to 127.0.0.1:5432: Connection refused"));
        }
        Interlocked.Increment(ref _served);
        return call();
    }
}
