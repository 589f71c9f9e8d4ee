using Gantry.Store;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// How a replica keeps a view of the store for its agents: read everything, then take in each batch of the change feed
/// and send what changed; every <c>resend</c> without changes offer everything again (an agent that reconnected here
/// catches up). A compacted feed or a failure means reading everything again (after a second, for a failure).
/// </summary>
internal static class StoreFollower
{
    private const int Page = 1000;
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    /// <param name="load">Reads everything afresh; returns the revision it read at.</param>
    /// <param name="apply">Takes in changes; true when any of them matters.</param>
    /// <param name="send">Sends what changed (false) or everything (true).</param>
    public static async Task RunAsync(IStateStore store, Func<CancellationToken, Task<long>> load, Func<IReadOnlyList<Change>, bool> apply, Action<bool> send,
        TimeSpan resend, TimeProvider time, Action<Exception> failed, CancellationToken ct)
    {
        var seen = -1L;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (seen < 0)
                {
                    seen = await load(ct).ConfigureAwait(false);
                    send(true);
                }
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                tick.CancelAfter(resend);
                try
                {
                    await store.WaitForChangeAsync(seen, tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    send(true);
                    continue;
                }
                var changes = await store.ChangesSinceAsync(seen, Page, ct).ConfigureAwait(false);
                if (changes.Count > 0)
                {
                    seen = changes[^1].Revision;
                }
                if (apply(changes))
                {
                    send(false);
                }
            }
            catch (ChangeFeedCompactedException)
            {
                seen = -1;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                failed(e);
                seen = -1;
                await Task.Delay(Retry, time, ct).ConfigureAwait(false);
            }
        }
    }
}
