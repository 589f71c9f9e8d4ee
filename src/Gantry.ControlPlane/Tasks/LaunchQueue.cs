using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Tasks;

/// <summary>A launch waiting for its cluster's turn, and how it ended.</summary>
internal sealed class QueuedLaunch(LaunchRequest request, CancellationToken ct)
{
    public LaunchRequest Request => request;

    public CancellationToken Cancellation => ct;

    public TaskCompletionSource<(IReadOnlyList<EcsTask> Tasks, IReadOnlyList<Failure> Failures)> Done { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The launches of one cluster waiting for their turn, oldest first. Whoever gets the turn takes the oldest and, when
/// it can share a placement and a commit, those after it that can too, up to a number of tasks.
/// </summary>
internal sealed class LaunchQueue
{
    private readonly Lock _lock = new();
    private readonly LinkedList<QueuedLaunch> _waiting = [];

    public void Add(QueuedLaunch launch)
    {
        lock (_lock)
        {
            _waiting.AddLast(launch);
        }
    }

    /// <summary>
    /// The next launches to run together: the oldest, then while it and they <paramref name="shareable"/>, the next ones
    /// up to <paramref name="maxTasks"/> tasks in all. Launches whose callers gave up are ended here, not taken.
    /// </summary>
    public List<QueuedLaunch> Take(int maxTasks, Func<LaunchRequest, bool> shareable)
    {
        var taken = new List<QueuedLaunch>();
        var tasks = 0;
        lock (_lock)
        {
            while (_waiting.First is { Value: var next })
            {
                if (next.Cancellation.IsCancellationRequested)
                {
                    _waiting.RemoveFirst();
                    next.Done.TrySetCanceled(next.Cancellation);
                    continue;
                }
                if (taken.Count > 0 && (!shareable(taken[0].Request) || !shareable(next.Request) || tasks + next.Request.Count > maxTasks))
                {
                    break;
                }
                _waiting.RemoveFirst();
                taken.Add(next);
                tasks += next.Request.Count;
            }
        }
        return taken;
    }
}
