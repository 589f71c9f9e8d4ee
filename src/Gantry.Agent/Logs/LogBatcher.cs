using System.Text;

namespace Gantry.Agent.Logs;

/// <summary>
/// Gathers assembled events into PutLogEvents-legal batches, as moby's eventBatch does: at most 10,000 events and
/// 1,048,576 bytes (UTF-8 message + 26 each), all within 24 hours of each other; a batch is sorted by timestamp,
/// events with equal timestamps kept in the order they came (moby's byTimestamp sort). An empty batcher takes any
/// event, so one event never gets stuck.
/// </summary>
/// <example>
/// <code>
/// if (!batcher.TryAdd(e)) { await SendAsync(batcher.TakeBatch()!); batcher.TryAdd(e); }
/// </code>
/// </example>
public sealed class LogBatcher
{
    private readonly int _maxEvents;
    private readonly int _maxBytes;
    private readonly long _maxSpanMs;
    private readonly List<AssembledLogEvent> _events = [];
    private long _minTimestamp;
    private long _maxTimestamp;
    private long _resumeOffset;
    private bool _sorted = true;

    public LogBatcher(int maxEvents = CloudWatchLimits.MaxBatchEvents, int maxBytes = CloudWatchLimits.MaxBatchBytes, long maxSpanMs = CloudWatchLimits.MaxBatchSpanMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, CloudWatchLimits.PerEventOverheadBytes + 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSpanMs);
        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
        _maxSpanMs = maxSpanMs;
    }

    public int Count => _events.Count;

    /// <summary>The batch's size as CloudWatch Logs counts it.</summary>
    public int SizeBytes { get; private set; }

    /// <summary>Adds <paramref name="logEvent"/> unless it would break a limit; then the caller takes the batch and adds it again.</summary>
    public bool TryAdd(AssembledLogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var size = Encoding.UTF8.GetByteCount(logEvent.Message) + CloudWatchLimits.PerEventOverheadBytes;
        var timestamp = logEvent.TimestampMs;
        if (_events.Count > 0)
        {
            var min = Math.Min(_minTimestamp, timestamp);
            var max = Math.Max(_maxTimestamp, timestamp);
            if (_events.Count >= _maxEvents || SizeBytes + size > _maxBytes || max - min > _maxSpanMs)
            {
                return false;
            }
            _sorted &= timestamp >= _events[^1].TimestampMs;
            (_minTimestamp, _maxTimestamp) = (min, max);
        }
        else
        {
            (_minTimestamp, _maxTimestamp) = (timestamp, timestamp);
        }
        _events.Add(logEvent);
        SizeBytes += size;
        _resumeOffset = Math.Max(_resumeOffset, logEvent.SourceOffset);
        return true;
    }

    /// <summary>The gathered events as a batch (null when there are none); the batcher starts empty again.</summary>
    public PutLogEventsBatch? TakeBatch()
    {
        if (_events.Count == 0)
        {
            return null;
        }
        // OrderBy is a stable sort: equal timestamps keep their order.
        AssembledLogEvent[] events = _sorted ? [.. _events] : [.. _events.OrderBy(e => e.TimestampMs)];
        var batch = new PutLogEventsBatch(events, SizeBytes, _resumeOffset);
        _events.Clear();
        SizeBytes = 0;
        _sorted = true;
        return batch;
    }
}
