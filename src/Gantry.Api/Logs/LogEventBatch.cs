using System.Text;
using Gantry.Domain.Errors;
using Gantry.Domain.Logs;
using Gantry.Logs;

namespace Gantry.Api.Logs;

/// <summary>
/// PutLogEvents' batch rules: 1–10,000 events, at most 1,048,576 bytes (UTF-8 message bytes + 26 per event),
/// events of at most 256 KiB, chronological, spanning at most 24 hours. A batch that breaks a rule is refused
/// whole; events too far in the future (2 h), past (14 days) or beyond the group's retention are rejected
/// one by one and reported in rejectedLogEventsInfo, the others are stored.
/// </summary>
internal static class LogEventBatch
{
    public const int MaxEvents = 10_000;
    public const int MaxBatchBytes = 1_048_576;
    public const int MaxEventBytes = 262_144;
    public const int EventOverhead = 26;
    private static readonly long Day = (long)TimeSpan.FromDays(1).TotalMilliseconds;
    private static readonly long TooNew = (long)TimeSpan.FromHours(2).TotalMilliseconds;
    private static readonly long TooOld = 14 * Day;

    /// <summary>Checks the batch's shape; throws InvalidParameterException naming the first event at fault.</summary>
    public static void Validate(IReadOnlyList<InputLogEvent>? events)
    {
        if (events is null || events.Count is 0 or > MaxEvents)
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and {MaxEvents}");
        }
        long total = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.Timestamp is not { } timestamp || timestamp < 0)
            {
                throw LogsErrors.InvalidParameter($"logEvents.{i + 1}.member.timestamp must be a number of milliseconds since the epoch, 0 or more.");
            }
            if (string.IsNullOrEmpty(e.Message))
            {
                throw LogsErrors.InvalidParameter($"1 validation error detected: Value at 'logEvents.{i + 1}.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }
            var size = Encoding.UTF8.GetByteCount(e.Message) + EventOverhead;
            if (size > MaxEventBytes)
            {
                throw LogsErrors.InvalidParameter($"Log event too large: {size} bytes exceeds limit of {MaxEventBytes} (logEvents.{i + 1}).");
            }
            total += size;
            if (i > 0 && timestamp < events[i - 1].Timestamp)
            {
                throw LogsErrors.InvalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        if (total > MaxBatchBytes)
        {
            throw LogsErrors.InvalidParameter($"Upload too large: {total} bytes exceeds limit of {MaxBatchBytes}");
        }
        if (events[^1].Timestamp - events[0].Timestamp > Day)
        {
            throw LogsErrors.InvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
        }
    }

    /// <summary>Splits a valid batch into the events to store and what AWS reports as rejected.</summary>
    public static (List<NewLogEvent> Accepted, RejectedLogEventsInfo? Rejected) Sort(IReadOnlyList<InputLogEvent> events, long now, int? retentionInDays)
    {
        var accepted = new List<NewLogEvent>(events.Count);
        int? tooNew = null, tooOld = null, expired = null;
        var expiredBefore = retentionInDays is { } days ? now - (days * Day) : long.MinValue;
        for (var i = 0; i < events.Count; i++)
        {
            var timestamp = events[i].Timestamp!.Value;
            if (timestamp > now + TooNew)
            {
                tooNew ??= i;
            }
            else if (timestamp < expiredBefore)
            {
                expired = i;
            }
            else if (timestamp < now - TooOld)
            {
                tooOld = i;
            }
            else
            {
                accepted.Add(new NewLogEvent(timestamp, events[i].Message!));
            }
        }
        var rejected = tooNew is null && tooOld is null && expired is null
            ? null
            : new RejectedLogEventsInfo { TooNewLogEventStartIndex = tooNew, TooOldLogEventEndIndex = tooOld, ExpiredLogEventEndIndex = expired };
        return (accepted, rejected);
    }
}
