using System.Reflection;
using Gantry.ControlPlane.State;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Replicas;

/// <summary>
/// Writes this replica's <see cref="ReplicaRecord"/> every <see cref="Interval"/> on a shared store (PostgreSQL); on
/// the embedded store, where no other replica exists, once at start.
/// </summary>
public sealed partial class ReplicaHeartbeat(Documents documents, string replicaId, bool sharedStore, TimeProvider time, ILogger<ReplicaHeartbeat> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    /// <summary>A replica whose heartbeat is older than this is shown as stale, and the leader clears its agents' links.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>The version of gantry this process runs.</summary>
    public static string Version { get; } =
        typeof(ReplicaHeartbeat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public string ReplicaId => replicaId;

    public async Task RunAsync(Uri address, Uri agentAddress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(agentAddress);
        var started = time.GetUtcNow();
        try
        {
            while (true)
            {
                try
                {
                    var record = new ReplicaRecord(replicaId, address.ToString(), agentAddress.ToString(), Version, started, time.GetUtcNow());
                    await documents.Store.CommitAsync([documents.Put(Kinds.Replica, replicaId, record, null)], ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogHeartbeatFailed(logger, e, replicaId);
                }
                if (!sharedStore)
                {
                    return;
                }
                await Task.Delay(Interval, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} could not write its heartbeat")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string replica);
}
