using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.Health;
using Gantry.LoadBalancing.Hosts;
using Gantry.LoadBalancing.State;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.LoadBalancing;

/// <summary>
/// The load balancers' data plane loop: follows the store's change feed and, when a load balancing kind changed
/// (changes gathered for <see cref="Debounce"/>), reads a new <see cref="LoadBalancingSnapshot"/> and hands it to the
/// health checker, every listener set and the hosts file. When the changes it has not read yet were compacted away, it
/// reads a whole snapshot again at once. Failures are logged and retried with backoff; on stop it
/// closes the listeners, stops the checks and removes its hosts block. It owns the listener sets and the checker.
/// </summary>
public sealed partial class LoadBalancingDataPlane(SnapshotReader reader, IStateStore store, IEnumerable<IListenerSet> listenerSets,
    TargetHealthChecker health, HostsFile? hosts, TimeProvider time, ILogger<LoadBalancingDataPlane> logger)
{
    /// <summary>After a change, how long to gather further changes before rebuilding.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500), LastRetry = TimeSpan.FromSeconds(30);
    private const int ChangesPage = 1000;

    /// <summary>The kinds a snapshot is read from (target health is the checker's own output, not an input).</summary>
    private static readonly HashSet<string> WatchedKinds = new(StringComparer.Ordinal)
    {
        ElbKinds.LoadBalancer, ElbKinds.Listener, ElbKinds.Rule, ElbKinds.TargetGroup, ElbKinds.InstanceAddress, ElbKinds.ServerCertificate,
    };

    private readonly IReadOnlyList<IListenerSet> _listenerSets = [.. listenerSets];
    private volatile LoadBalancingSnapshot _current = LoadBalancingSnapshot.Empty;

    /// <summary>The snapshot last read and handed to the health checks, listener sets and hosts file.</summary>
    public LoadBalancingSnapshot Current => _current;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await FollowAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        var seen = 0L;
        var rebuild = true;
        var retry = FirstRetry;
        while (true)
        {
            if (rebuild)
            {
                seen = store.CurrentRevision;
                if (!await ApplyAsync(ct).ConfigureAwait(false))
                {
                    await Task.Delay(retry, time, ct).ConfigureAwait(false);
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                    continue;
                }
                retry = FirstRetry;
            }
            try
            {
                await store.WaitForChangeAsync(seen, ct).ConfigureAwait(false);
                await Task.Delay(Debounce, time, ct).ConfigureAwait(false);
                var changes = await store.ChangesSinceAsync(seen, ChangesPage, ct).ConfigureAwait(false);
                rebuild = changes.Count == ChangesPage || changes.Any(c => WatchedKinds.Contains(c.Kind));
                if (changes.Count > 0)
                {
                    seen = changes[^1].Revision;
                }
            }
            catch (ChangeFeedCompactedException e)
            {
                LogCompacted(logger, e.AfterRevision);
                rebuild = true;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogFollowFailed(logger, e);
                await Task.Delay(retry, time, ct).ConfigureAwait(false);
                rebuild = true;
            }
        }
    }

    /// <summary>Reads a snapshot and applies it everywhere; false when something failed (logged, to be retried).</summary>
    private async Task<bool> ApplyAsync(CancellationToken ct)
    {
        LoadBalancingSnapshot snapshot;
        try
        {
            snapshot = await reader.ReadAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogReadFailed(logger, e);
            return false;
        }
        _current = snapshot;
        var applied = await TryAsync("health checks", () => health.ApplyAsync(snapshot, ct), ct).ConfigureAwait(false);
        foreach (var set in _listenerSets)
        {
            applied &= await TryAsync(set.GetType().Name, () => set.ApplyAsync(snapshot, ct), ct).ConfigureAwait(false);
        }
        if (hosts is not null)
        {
            applied &= await TryAsync(hosts.Path, () => hosts.WriteAsync(snapshot, ct), ct).ConfigureAwait(false);
        }
        LogApplied(logger, snapshot.Revision, snapshot.LoadBalancers.Count, snapshot.TargetGroups.Count);
        return applied;
    }

    private async Task<bool> TryAsync(string part, Func<Task> apply, CancellationToken ct)
    {
        try
        {
            await apply().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogApplyFailed(logger, e, part);
            return false;
        }
    }

    private async Task StopAsync()
    {
        foreach (var set in _listenerSets)
        {
            try
            {
                await set.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogStopFailed(logger, e, set.GetType().Name);
            }
        }
        await health.DisposeAsync().ConfigureAwait(false);
        if (hosts is not null)
        {
            try
            {
                await hosts.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogStopFailed(logger, e, hosts.Path);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Load balancing snapshot at revision {Revision} applied: {LoadBalancers} load balancers, {TargetGroups} target groups")]
    private static partial void LogApplied(ILogger logger, long revision, int loadBalancers, int targetGroups);

    [LoggerMessage(Level = LogLevel.Information, Message = "The store's changes after revision {Revision} were compacted; reading the snapshot again")]
    private static partial void LogCompacted(ILogger logger, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the store's changes failed; reading the snapshot again")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the load balancing snapshot failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying the load balancing snapshot to {Part} failed; retrying")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string part);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping {Part} failed")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, string part);
}
