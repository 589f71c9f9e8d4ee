namespace Gantry.Agent.Logs;

/// <summary>A CloudWatch Logs event made from one or more k8s-file records.</summary>
/// <param name="TimestampMs">The time of the event's first record, in Unix milliseconds.</param>
/// <param name="Message">At most <see cref="CloudWatchLimits.MaxEventBytes"/> bytes of UTF-8.</param>
/// <param name="SourceOffset">
/// The file offset to resume reading from once this event (and all before it) is stored: everything before it has
/// gone into events emitted so far. Usually the end of the event's last record; less when output still pending
/// (the other stream's unfinished line, the rest of a line that was split) began earlier, so that resuming there repeats
/// rather than loses. Never decreases from one event to the next.
/// </param>
public sealed record AssembledLogEvent(long TimestampMs, string Message, long SourceOffset);
