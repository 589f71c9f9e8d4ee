namespace Gantry.Store;

/// <summary>A store's newest known revision, moved only forward, and the waiters woken when it moves.</summary>
public sealed class RevisionSignal(long initial)
{
    private TaskCompletionSource _changed = NewSignal();
    private long _revision = initial;

    public long Current => Interlocked.Read(ref _revision);

    /// <summary>Moves to <paramref name="revision"/> if it is newer, and wakes the waiters.</summary>
    public void Advance(long revision)
    {
        var current = Interlocked.Read(ref _revision);
        while (revision > current)
        {
            var seen = Interlocked.CompareExchange(ref _revision, revision, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
                return;
            }
            current = seen;
        }
    }

    /// <summary>Completes when <see cref="Current"/> exceeds <paramref name="afterRevision"/>.</summary>
    public async Task WaitAsync(long afterRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _changed);
            if (Current > afterRevision)
            {
                return;
            }
            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
