using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.State;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.LoadBalancing.Health;

/// <summary>
/// Active health checks of every registered, non-draining target with an address, on timers from the
/// <see cref="TimeProvider"/> with at most a bounded number of checks in flight; the state is written to the store
/// (<see cref="ElbKinds.TargetHealth"/>) on every change, in the order of the changes (<see cref="HealthRecordWriter"/>).
/// Routers ask <see cref="RouteOf"/> (healthy targets, slow start, fail open when none is healthy) and report
/// connection failures (passive ejection until the next passing check).
/// </summary>
public sealed partial class TargetHealthChecker(Documents documents, IHealthProbe probe, TimeProvider time, ILogger<TargetHealthChecker> logger,
    int maxConcurrentChecks = 32) : ITargetHealth, IAsyncDisposable
{
    /// <summary>The smallest share a target in slow start gets.</summary>
    private const double MinimumWeight = 0.01;

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _concurrency = new(maxConcurrentChecks);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HealthRecordWriter _records = new(documents.Store);
    private volatile IReadOnlyDictionary<string, GroupMonitor> _groups = new Dictionary<string, GroupMonitor>();
    private HashSet<string> _registered = new(StringComparer.Ordinal);

    /// <summary>Starts checking new targets, stops checking the ones gone or draining and follows changed settings.</summary>
    public async Task ApplyAsync(LoadBalancingSnapshot snapshot, CancellationToken ct)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var groups = new Dictionary<string, GroupMonitor>(StringComparer.Ordinal);
            foreach (var view in snapshot.TargetGroups.Values)
            {
                groups[view.Arn] = ApplyGroup(_groups.GetValueOrDefault(view.Arn), view, now);
            }
            foreach (var gone in _groups.Where(g => !groups.ContainsKey(g.Key)).SelectMany(g => g.Value.Targets.Values))
            {
                Stop(gone);
            }
            _groups = groups;

            var registered = snapshot.TargetGroups.Values
                .SelectMany(g => g.Targets.Select(t => ElbKinds.TargetHealthKey(g.Name, t.Key.Id, t.Key.Port)))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var key in _registered.Where(key => !registered.Contains(key)))
            {
                _records.Want(new DeleteOp(ElbKinds.TargetHealth, key));
            }
            _registered = registered;
        }
        await _records.FlushAsync(ct).ConfigureAwait(false);
    }

    public TargetRoute RouteOf(TargetGroupView group, TargetView target)
    {
        if (target.DrainingSince is not null || target.Endpoint is null)
        {
            return TargetRoute.Excluded;
        }
        if (!_groups.TryGetValue(group.Arn, out var monitor))
        {
            return TargetRoute.Full; // not checked yet: every target is initial, the group fails open
        }
        if (!monitor.Targets.TryGetValue(target.Key, out var checkedTarget) || !checkedTarget.Status.Routable)
        {
            return monitor.AnyRoutable ? TargetRoute.Excluded : TargetRoute.Full;
        }
        return new TargetRoute(true, WeightOf(checkedTarget.Status, monitor.SlowStart));
    }

    public void ReportFailure(TargetGroupView group, TargetView target)
    {
        if (_groups.TryGetValue(group.Arn, out var monitor) && monitor.Targets.TryGetValue(target.Key, out var checkedTarget))
        {
            lock (_gate)
            {
                if (!checkedTarget.Ejected)
                {
                    checkedTarget.Ejected = true;
                    monitor.Publish();
                    LogEjected(logger, group.Name, target.Key);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            var targets = _groups.Values.SelectMany(g => g.Targets.Values).ToList();
            targets.ForEach(Stop);
            running = [.. targets.Select(t => t.LastCheck)];
            _groups = new Dictionary<string, GroupMonitor>();
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(false);
        _records.Dispose();
        _stopping.Dispose();
        _concurrency.Dispose();
    }

    private double WeightOf(TargetStatus status, TimeSpan slowStart)
    {
        if (status.SlowStartFrom is not { } from || slowStart <= TimeSpan.Zero)
        {
            return 1;
        }
        var share = (time.GetUtcNow() - from) / slowStart;
        return share >= 1 ? 1 : Math.Max(share, MinimumWeight);
    }

    private GroupMonitor ApplyGroup(GroupMonitor? existing, TargetGroupView view, DateTimeOffset now)
    {
        var group = existing ?? new GroupMonitor(view);
        var settings = HealthCheckSettings.Of(view.Record.TargetGroup);
        var settingsChanged = settings != group.Settings;
        var enabledChanged = settings.Enabled != group.Settings.Enabled;
        (group.View, group.Settings) = (view, settings);

        var targets = new Dictionary<TargetKey, TargetMonitor>();
        foreach (var target in view.Targets.Where(t => t.DrainingSince is null && t.Endpoint is not null))
        {
            if (group.Targets.TryGetValue(target.Key, out var monitor))
            {
                monitor.Endpoint = target.Endpoint!;
                if (enabledChanged && (settings.Enabled ? monitor.Health.Restart(now) : monitor.Health.Disable(now)))
                {
                    _records.Want(Put(group, Record(group, monitor)));
                }
                if (settingsChanged)
                {
                    Schedule(group, monitor);
                }
            }
            else
            {
                monitor = new TargetMonitor(target.Key, target.Endpoint!, now);
                if (!settings.Enabled)
                {
                    monitor.Health.Disable(now);
                }
                _records.Want(Put(group, Record(group, monitor)));
                Schedule(group, monitor);
            }
            targets[target.Key] = monitor;
        }
        foreach (var gone in group.Targets.Values.Where(t => !targets.ContainsKey(t.Key)))
        {
            Stop(gone);
        }
        group.Targets = targets;
        group.Publish();
        return group;
    }

    private void Schedule(GroupMonitor group, TargetMonitor target)
    {
        var interval = group.Settings.Enabled ? group.Settings.Interval : Timeout.InfiniteTimeSpan;
        if (target.Timer is null)
        {
            target.Timer = time.CreateTimer(_ => StartCheck(group, target), null, group.Settings.Enabled ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, interval);
        }
        else
        {
            target.Timer.Change(interval, interval);
        }
    }

    private static void Stop(TargetMonitor target)
    {
        target.Removed = true;
        target.Timer?.Dispose();
    }

    private void StartCheck(GroupMonitor group, TargetMonitor target)
    {
        if (target.TryStartCheck())
        {
            target.LastCheck = CheckAsync(group, target);
        }
    }

    private async Task CheckAsync(GroupMonitor group, TargetMonitor target)
    {
        try
        {
            var ct = _stopping.Token;
            await _concurrency.WaitAsync(ct).ConfigureAwait(false);
            ProbeOutcome outcome;
            try
            {
                outcome = await probe.CheckAsync(group.Settings, target.Endpoint, ct).ConfigureAwait(false);
            }
            finally
            {
                _concurrency.Release();
            }
            TargetHealthRecord? changed = null;
            lock (_gate)
            {
                if (target.Removed || !group.Settings.Enabled)
                {
                    return;
                }
                var now = time.GetUtcNow();
                if (target.Health.Observe(outcome, group.Settings, now, group.OthersFullyHealthy(target, now)))
                {
                    changed = Record(group, target);
                    _records.Want(Put(group, changed));
                }
                target.Ejected &= !outcome.Passed;
                group.Publish();
            }
            if (changed is not null)
            {
                LogChanged(logger, group.View.Name, target.Key, changed.State, changed.Reason);
                await _records.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogCheckFailed(logger, e, group.View.Name, target.Key);
        }
        finally
        {
            target.EndCheck();
        }
    }

    private static TargetHealthRecord Record(GroupMonitor group, TargetMonitor target) => new(group.View.Arn, target.Key.Id, target.Key.Port,
        target.Health.State, target.Health.Reason, target.Health.Description, target.Health.Since, target.Health.HealthySince);

    private PutOp Put(GroupMonitor group, TargetHealthRecord record) =>
        documents.Put(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(group.View.Name, record.Id, record.Port), record, null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} of {TargetGroup} is now {State} ({Reason})")]
    private static partial void LogChanged(ILogger logger, string targetGroup, TargetKey target, string state, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target} of {TargetGroup} ejected after a failed connection until its next passing check")]
    private static partial void LogEjected(ILogger logger, string targetGroup, TargetKey target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check of {Target} in {TargetGroup} failed to run")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string targetGroup, TargetKey target);
}
