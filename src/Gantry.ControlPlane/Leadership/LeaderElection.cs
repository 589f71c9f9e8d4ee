using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Leadership;

/// <summary>
/// Which replica runs the controllers. The leader renews its heartbeat every <see cref="RenewInterval"/> with a check
/// that the lease is still its own; a follower takes the lease when the heartbeat's version has not moved for
/// <see cref="LeaseDuration"/> on its own clock (so a leader's death is noticed within LeaseDuration + RenewInterval),
/// and at once when the lease is free or names this replica (a restart). A leader that cannot renew for
/// LeaseDuration steps down by itself. The lease's version is the fencing token (<see cref="FencedStateStore"/>).
/// On a store only this process can open (the embedded SQLite file), the replica takes the lease once at start and
/// writes no heartbeats: nobody else could take over.
/// </summary>
/// <param name="sharedStore">Whether other replicas may open the store (PostgreSQL).</param>
public sealed partial class LeaderElection(Documents documents, string replicaId, bool sharedStore, TimeProvider time, ILogger<LeaderElection> logger)
{
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(6);

    private long _token;
    private long _seenHeartbeat = -1;
    private DateTimeOffset _seenSince, _renewedAt;

    /// <summary>The fencing token while this replica leads (the lease's version), 0 otherwise.</summary>
    public long Token => Interlocked.Read(ref _token);

    public string ReplicaId => replicaId;

    /// <summary>Campaigns and renews until cancelled; while leading, runs <paramref name="lead"/> with a token cancelled
    /// when the lead is lost (and runs it again if it ends while still leading).</summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lead);
        CancellationTokenSource? leading = null;
        Task running = Task.CompletedTask;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var leads = await StepAsync(ct).ConfigureAwait(false);
                if (leads && (leading is null || running.IsCompleted))
                {
                    await StopAsync(leading, running).ConfigureAwait(false);
                    leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    running = lead(leading.Token);
                }
                else if (!leads && leading is not null)
                {
                    await StopAsync(leading, running).ConfigureAwait(false);
                    leading = null;
                }
                await Task.Delay(RenewInterval, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _token, 0);
            await StopAsync(leading, running).ConfigureAwait(false);
        }
    }

    /// <summary>One round: renew (leading) or campaign (following). Returns whether this replica leads after it.</summary>
    public async Task<bool> StepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        try
        {
            return Token != 0 ? await RenewAsync(now, ct).ConfigureAwait(false) : await CampaignAsync(now, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogStoreFailed(logger, e);
            if (Token != 0 && now - _renewedAt >= LeaseDuration)
            {
                StepDown("it could not renew the lease");
            }
            return Token != 0;
        }
    }

    private async Task<bool> RenewAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (!sharedStore)
        {
            return true;
        }
        try
        {
            await documents.Store.CommitAsync(
            [
                new CheckOp(LeaseKinds.Kind, LeaseKinds.Lease, Token),
                documents.Put(LeaseKinds.Kind, LeaseKinds.Heartbeat, new LeaseHeartbeat(replicaId, now), null),
            ], ct).ConfigureAwait(false);
            _renewedAt = now;
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            StepDown("another replica took the lease");
            return false;
        }
    }

    private async Task<bool> CampaignAsync(DateTimeOffset now, CancellationToken ct)
    {
        var lease = await documents.GetAsync<LeaseRecord>(LeaseKinds.Kind, LeaseKinds.Lease, ct).ConfigureAwait(false);
        var heartbeat = await documents.GetAsync<LeaseHeartbeat>(LeaseKinds.Kind, LeaseKinds.Heartbeat, ct).ConfigureAwait(false);
        var beat = heartbeat?.Version ?? 0;
        if (beat != _seenHeartbeat)
        {
            (_seenHeartbeat, _seenSince) = (beat, now);
        }
        var free = !sharedStore || lease is null || lease.Value.Holder == replicaId || now - _seenSince >= LeaseDuration;
        if (!free)
        {
            return false;
        }
        try
        {
            await documents.Store.CommitAsync(
            [
                documents.Put(LeaseKinds.Kind, LeaseKinds.Lease, new LeaseRecord(replicaId, now), lease?.Version ?? WriteOp.MustNotExist),
                documents.Put(LeaseKinds.Kind, LeaseKinds.Heartbeat, new LeaseHeartbeat(replicaId, now), heartbeat?.Version ?? WriteOp.MustNotExist),
            ], ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            return false; // another replica was quicker
        }
        _renewedAt = now;
        Interlocked.Exchange(ref _token, (lease?.Version ?? 0) + 1);
        LogLeading(logger, replicaId, Token, lease?.Value.Holder);
        return true;
    }

    private void StepDown(string why)
    {
        Interlocked.Exchange(ref _token, 0);
        (_seenHeartbeat, _seenSince) = (-1, time.GetUtcNow());
        LogSteppedDown(logger, replicaId, why);
    }

    private async Task StopAsync(CancellationTokenSource? leading, Task running)
    {
        if (leading is null)
        {
            return;
        }
        await leading.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogControllersFailed(logger, e); // started again while this replica leads
        }
        leading.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replica {Replica} leads the controllers (token {Token}; previous holder {Previous})")]
    private static partial void LogLeading(ILogger logger, string replica, long token, string? previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica {Replica} stopped leading: {Why}")]
    private static partial void LogSteppedDown(ILogger logger, string replica, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "The controllers failed")]
    private static partial void LogControllersFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The leader election could not reach the state store")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
