using Gantry.Store;

namespace Gantry.LoadBalancing.Tests.Health;

/// <summary>A store that can hold its next commit before it reaches the real store, until the test releases it.</summary>
internal sealed class HeldCommitStore(IStateStore inner) : IStateStore
{
    private HeldCommit? _next;

    public long CurrentRevision => inner.CurrentRevision;

    /// <summary>Holds the next commit: <see cref="HeldCommit.Entered"/> completes when it arrives.</summary>
    public HeldCommit HoldNext() => _next = new HeldCommit();

    public async Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _next, null) is not { } held)
        {
            return await inner.CommitAsync(operations, cancellationToken);
        }
        held.Arrived();
        await held.Released.WaitAsync(cancellationToken);
        try
        {
            var revision = await inner.CommitAsync(operations, cancellationToken);
            held.Done(null);
            return revision;
        }
        catch (Exception e)
        {
            held.Done(e);
            throw;
        }
    }

    public Task<StoredObject?> GetAsync(string kind, string key, CancellationToken cancellationToken) => inner.GetAsync(kind, key, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListAsync(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(kind, keyPrefix, afterKey, limit, cancellationToken);

    public Task<IReadOnlyList<StoredObject>> ListDescendingAsync(string kind, string? keyPrefix, string? beforeKey, int limit, CancellationToken cancellationToken) =>
        inner.ListDescendingAsync(kind, keyPrefix, beforeKey, limit, cancellationToken);

    public Task<long> CountAsync(string kind, string? keyPrefix, CancellationToken cancellationToken) => inner.CountAsync(kind, keyPrefix, cancellationToken);

    public Task<IReadOnlyList<Change>> ChangesSinceAsync(long afterRevision, int limit, CancellationToken cancellationToken) =>
        inner.ChangesSinceAsync(afterRevision, limit, cancellationToken);

    public Task WaitForChangeAsync(long afterRevision, CancellationToken cancellationToken) => inner.WaitForChangeAsync(afterRevision, cancellationToken);

    /// <summary>The inner store is the test's to dispose.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One held commit: when it arrived, its release, and when it reached the real store.</summary>
internal sealed class HeldCommit
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => _entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

    public Task Completed => _completed.Task.WaitAsync(TimeSpan.FromSeconds(10));

    internal Task Released => _released.Task;

    public void Release() => _released.TrySetResult();

    internal void Arrived() => _entered.TrySetResult();

    internal void Done(Exception? error)
    {
        if (error is null)
        {
            _completed.TrySetResult();
        }
        else
        {
            _completed.TrySetException(error);
        }
    }
}
