using System.Collections.Concurrent;

namespace Gantry.Store;

/// <summary>
/// Group commit: concurrent commits of one process queue here, and whoever holds the store's writer takes every
/// queued one and writes them in one transaction (one flush to disk for the group, each commit in its own savepoint
/// and revision). A caller that gives up before its commit was taken withdraws it, so a cancelled commit is either
/// never written or told its outcome, never written behind its caller's back.
/// </summary>
public sealed class GroupCommit
{
    private const int MaxGroup = 256;
    private readonly ConcurrentQueue<PendingCommit> _queue = new();

    /// <summary>Queues <paramref name="operations"/>, runs <paramref name="takeTurn"/> (which writes what is queued
    /// once it holds the writer) and returns the commit's revision, whoever wrote it.</summary>
    public async Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, Func<Task> takeTurn)
    {
        ArgumentNullException.ThrowIfNull(takeTurn);
        var pending = new PendingCommit(operations);
        _queue.Enqueue(pending);
        try
        {
            await takeTurn().ConfigureAwait(false);
        }
        catch (Exception) when (pending.TryAbandon())
        {
            throw; // never taken: not written
        }
        return await pending.Outcome.Task.ConfigureAwait(false);
    }

    /// <summary>With the writer held: the queued commits to write now (at most 256), claimed.</summary>
    public IReadOnlyList<PendingCommit> TakeGroup()
    {
        var group = new List<PendingCommit>();
        while (group.Count < MaxGroup && _queue.TryDequeue(out var next))
        {
            if (next.TryTake())
            {
                group.Add(next);
            }
        }
        return group;
    }

    /// <summary>Tells each member of a written group its revision, or why it was refused.</summary>
    public static void Complete(IReadOnlyList<PendingCommit> group, IReadOnlyList<(long Revision, Exception? Failure)> outcomes)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(outcomes);
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Failure is { } failure)
            {
                group[i].Outcome.SetException(failure);
            }
            else
            {
                group[i].Outcome.SetResult(outcomes[i].Revision);
            }
        }
    }

    /// <summary>Fails every member of a group whose transaction did not commit (or whose outcome is unknown, as for any commit).</summary>
    public static void Fail(IReadOnlyList<PendingCommit> group, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var member in group)
        {
            member.Outcome.SetException(failure);
        }
    }
}

/// <summary>One queued commit of a <see cref="GroupCommit"/>.</summary>
public sealed class PendingCommit(IReadOnlyList<WriteOp> operations)
{
    private const int Queued = 0, Taken = 1, Abandoned = 2;
    private int _state;

    public IReadOnlyList<WriteOp> Operations { get; } = operations;

    /// <summary>The commit's revision, or why it was refused.</summary>
    public TaskCompletionSource<long> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;
}
