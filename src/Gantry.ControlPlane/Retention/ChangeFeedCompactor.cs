using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Retention;

/// <summary>
/// Keeps the store's change feed bounded: each pass compacts it through the newest revision that is both more than
/// <see cref="KeepRevisions"/> behind the current one and older than <see cref="KeepFor"/>, so a consumer that falls
/// behind by less than either still reads every change (one further behind learns it and reads the state again). The
/// age of a revision is known from this compactor's own samples of the current revision, one per pass: a new leader
/// compacts nothing until it has watched for <see cref="KeepFor"/>. Compacting twice is harmless, so it is safe on any
/// replica; it runs on the leader.
/// </summary>
public sealed partial class ChangeFeedCompactor(IStateStore store, TimeProvider time, ILogger<ChangeFeedCompactor> logger)
{

    /// <summary>How often the feed is compacted.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    private readonly Queue<(DateTimeOffset At, long Revision)> _samples = new();
    private long _oldEnough, _compacted;

    /// <summary>The newest revisions whose changes are always kept.</summary>
    public long KeepRevisions { get; init; } = ChangeFeedRetention.Default.KeepRevisions;

    /// <summary>Changes younger than this are always kept.</summary>
    public TimeSpan KeepFor { get; init; } = ChangeFeedRetention.Default.KeepFor;

    /// <summary>Compacts every <paramref name="interval"/> until cancelled; a failed pass is logged and the next one runs.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await CompactAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: samples the current revision and compacts what both limits let go. Returns the revision the feed
    /// is compacted through (0 while nothing may go yet).</summary>
    public async Task<long> CompactAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = store.CurrentRevision;
        _samples.Enqueue((now, current));
        while (_samples.TryPeek(out var sample) && sample.At <= now - KeepFor)
        {
            _oldEnough = _samples.Dequeue().Revision; // current KeepFor ago or earlier: every revision up to it is old enough
        }
        var through = Math.Min(current - KeepRevisions, _oldEnough);
        if (through <= _compacted)
        {
            return _compacted;
        }
        _compacted = await store.CompactChangesAsync(through, ct).ConfigureAwait(false);
        LogCompacted(logger, _compacted, current);
        return _compacted;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Change feed compacted through revision {Compacted} (current {Current})")]
    private static partial void LogCompacted(ILogger logger, long compacted, long current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compacting the change feed failed; trying again on the next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
