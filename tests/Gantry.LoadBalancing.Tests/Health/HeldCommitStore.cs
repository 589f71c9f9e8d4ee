using Gantry.Store;

namespace Gantry.LoadBalancing.Tests.Health;

/// <summary>A store that can hold its next commit before it reaches the real store, until the test releases it.</summary>
internal sealed class HeldCommitStore(IStateStore inner) : CommitDecorator(inner)
{
    private HeldCommit? _next;

    /// <summary>Holds the next commit: <see cref="HeldCommit.Entered"/> completes when it arrives.</summary>
    public HeldCommit HoldNext() => _next = new HeldCommit();

    public override async Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _next, null) is not { } held)
        {
            return await Inner.CommitAsync(operations, cancellationToken);
        }
        held.Arrived();
        await held.Released.WaitAsync(cancellationToken);
        try
        {
            var revision = await Inner.CommitAsync(operations, cancellationToken);
            held.Done(null);
            return revision;
        }
        catch (Exception e)
        {
            held.Done(e);
            throw;
        }
    }
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
