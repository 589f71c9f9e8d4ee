using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.State;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Replicas;

/// <summary>
/// The leader's part of node-lost detection with several replicas: a replica that died (kill -9, power loss) leaves
/// its agents' instances marked connected, since only the replica holding a stream marks it disconnected. Every
/// <see cref="Interval"/> this marks disconnected the instances whose <see cref="AgentLink"/> names a replica whose
/// heartbeat has not moved for <see cref="ReplicaHeartbeat.StaleAfter"/> on this replica's clock (no comparison of
/// clocks across machines); the service controller then replaces their tasks after --node-lost-after, unless the
/// agent reconnects (to any replica) first. A replica first seen gets the whole StaleAfter before it counts as dead.
/// </summary>
public sealed partial class OrphanedLinkSweeper(Documents documents, AgentLinks links, TimeProvider time, ILogger<OrphanedLinkSweeper> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (long Version, DateTimeOffset Since)> _seen = new(StringComparer.Ordinal);

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await SweepAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round; returns how many instances it marked disconnected.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var replica in await documents.ListAllAsync<ReplicaRecord>(Kinds.Replica, null, ct).ConfigureAwait(false))
        {
            if (!_seen.TryGetValue(replica.Value.Id, out var seen) || seen.Version != replica.Version)
            {
                _seen[replica.Value.Id] = (replica.Version, now);
            }
        }
        bool Alive(string replica)
        {
            if (replica == links.ReplicaId)
            {
                return true;
            }
            if (!_seen.TryGetValue(replica, out var seen))
            {
                _seen[replica] = seen = (0, now); // linked before its first heartbeat was written
            }
            return now - seen.Since < ReplicaHeartbeat.StaleAfter;
        }
        var cleared = await links.ClearOrphansAsync(Alive, ct).ConfigureAwait(false);
        if (cleared > 0)
        {
            LogCleared(logger, cleared);
        }
        return cleared;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} instances were connected through replicas that stopped heartbeating: marked disconnected")]
    private static partial void LogCleared(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clearing the agent links of dead replicas failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
