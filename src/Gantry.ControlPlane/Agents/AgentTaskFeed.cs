using System.Text.Json;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// Lets any replica serve any agent: every replica follows the store's change feed for task documents and hands each
/// changed task to <see cref="TaskDispatcher.Follow"/>, which tells the task's agent when that agent is connected here.
/// A task placed by another replica (the leader's service controller, a RunTask answered elsewhere) so reaches its agent
/// wherever the agent is connected. Within a page of changes only a task's newest state counts. Follows from the
/// revision current at start: an agent connecting later is brought up to date by <see cref="AgentReconciler"/>.
/// </summary>
public sealed partial class AgentTaskFeed(IStateStore store, JsonSerializerOptions jsonOptions, TaskDispatcher dispatcher, FeedPosition position,
    TimeProvider time, ILogger<AgentTaskFeed> logger)
{
    public const int Page = 1000;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250), LastRetry = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken ct)
    {
        position.MoveTo(store.CurrentRevision);
        var retry = FirstRetry;
        try
        {
            while (true)
            {
                try
                {
                    await store.WaitForChangeAsync(position.Revision, ct).ConfigureAwait(false);
                    var changes = await store.ChangesSinceAsync(position.Revision, Page, ct).ConfigureAwait(false);
                    Apply(changes);
                    if (changes.Count > 0)
                    {
                        position.MoveTo(changes[^1].Revision);
                    }
                    retry = FirstRetry;
                }
                catch (ChangeFeedCompactedException e)
                {
                    // Behind by more than the feed keeps (100,000 revisions and 15 minutes): what was missed reaches the
                    // agents when they next reconnect and are reconciled; follow on from what the feed still holds.
                    LogFellBehind(logger, e.AfterRevision, e.CompactedThrough);
                    position.MoveTo(e.CompactedThrough);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogFollowFailed(logger, e, retry.TotalSeconds);
                    await Task.Delay(retry, time, ct).ConfigureAwait(false);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Hands the newest state of every task changed in <paramref name="changes"/> to the dispatcher.</summary>
    public void Apply(IReadOnlyList<Change> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var newest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.Kind == Kinds.Task))
        {
            if (change.Body is null)
            {
                newest.Remove(change.Key);
            }
            else
            {
                newest[change.Key] = change.Body;
            }
        }
        foreach (var body in newest.Values)
        {
            dispatcher.Follow(JsonSerializer.Deserialize<TaskRecord>(body, jsonOptions)!);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The task feed fell behind the store's compacted changes (at {Revision}, compacted through {Compacted}); following on")]
    private static partial void LogFellBehind(ILogger logger, long revision, long compacted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the store's task changes failed; retrying in {Seconds} s")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception, double seconds);
}
