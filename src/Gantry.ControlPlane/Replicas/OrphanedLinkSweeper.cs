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
/// A replica dead for <see cref="ForgetAfter"/> is forgotten: its record deleted, so <c>gantry cluster status</c> stops
/// listing it (unless it heartbeats meanwhile: the delete checks the version this sweeper saw).
/// </summary>
public sealed partial class OrphanedLinkSweeper(Documents documents, AgentLinks links, TimeProvider time, ILogger<OrphanedLinkSweeper> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>How long a replica whose heartbeat stood still stays listed (as stale) before its record is deleted.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

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
        var replicas = await documents.ListAllAsync<ReplicaRecord>(Kinds.Replica, null, ct).ConfigureAwait(false);
        foreach (var replica in replicas)
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
        foreach (var replica in replicas.Where(r => r.Value.Id != links.ReplicaId && now - _seen[r.Value.Id].Since >= ForgetAfter))
        {
            try
            {
                await documents.Store.CommitAsync([new DeleteOp(Kinds.Replica, replica.Value.Id, replica.Version)], ct).ConfigureAwait(false);
                _seen.Remove(replica.Value.Id);
                LogForgotten(logger, replica.Value.Id, replica.Value.LastSeen);
            }
            catch (ConcurrencyConflictException)
            {
                // it heartbeated after all: the next round sees it alive
            }
        }
        return cleared;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica}, silent since {LastSeen}, forgotten")]
    private static partial void LogForgotten(ILogger logger, string replica, DateTimeOffset lastSeen);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} instances were connected through replicas that stopped heartbeating: marked disconnected")]
    private static partial void LogCleared(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clearing the agent links of dead replicas failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
