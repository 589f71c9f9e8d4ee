using Gantry.Domain.Elbv2;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.LoadBalancing;

/// <summary>
/// Ends draining: a deregistered target stays in its group (showing <c>draining</c>) until its group's
/// <c>deregistration_delay.timeout_seconds</c> has passed since it was deregistered; then this loop removes it with its
/// health record, in one commit against the group's version (a group changed meanwhile is swept on the next pass).
/// </summary>
public sealed partial class DrainedTargetSweeper(Documents documents, TimeProvider time, ILogger<DrainedTargetSweeper> logger)
{
    /// <summary>How often draining targets are looked at: a target leaves within this of its delay's end.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Sweeps every <paramref name="interval"/> until cancelled; a failed pass is logged and the next one runs.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every target whose draining has ended; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var removed = 0;
        await foreach (var group in documents.EnumerateAsync<TargetGroupRecord>(ElbKinds.TargetGroup, null, null, ct).ConfigureAwait(false))
        {
            var delay = TargetRegistry.DelayOf(group.Value);
            var drained = group.Value.Targets.Where(t => t.DrainingSince is { } since && since + delay <= now).ToList();
            if (drained.Count == 0)
            {
                continue;
            }
            var name = group.Value.TargetGroup.TargetGroupName!;
            var kept = group.Value with { Targets = group.Value.Targets.Except(drained).ToList() };
            try
            {
                await documents.Store.CommitAsync([documents.Put(ElbKinds.TargetGroup, name, kept, group.Version),
                    .. drained.Select(t => new DeleteOp(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(name, t.Id, t.Port)))], ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // registered, deregistered or deleted meanwhile: the next pass sees it as it is
            }
            removed += drained.Count;
            foreach (var target in drained)
            {
                LogRemoved(logger, target.Id, target.Port, group.Value.TargetGroup.TargetGroupArn!);
            }
        }
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Target {TargetId}:{Port} finished draining and left target group {TargetGroupArn}")]
    private static partial void LogRemoved(ILogger logger, string targetId, int port, string targetGroupArn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping drained targets failed; trying again on the next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
