namespace Gantry.Logs;

// Timestamps are Unix milliseconds, as the CloudWatch Logs API carries them.

/// <summary>A log group as DescribeLogGroups shows it.</summary>
public sealed record LogGroupInfo(string Name, long CreationTime, int? RetentionInDays, long StoredBytes);

/// <summary>A log stream as DescribeLogStreams shows it; event times are null until the first event.</summary>
public sealed record LogStreamInfo(string Name, long CreationTime, long? FirstEventTimestamp, long? LastEventTimestamp,
    long? LastIngestionTime, long StoredBytes);

/// <summary>
/// An event to append. <paramref name="SourceOffset"/> is the shipper's position of the event in its source (strictly
/// increasing in source order), or 0 for events from PutLogEvents: the store skips events at or below the position it
/// has recorded for the stream, so a shipper that resends after a crash never duplicates lines.
/// </summary>
public readonly record struct NewLogEvent(long Timestamp, string Message, long SourceOffset = 0);

/// <summary>A stored event. <paramref name="Id"/> orders events of equal timestamp and is stable forever.</summary>
public sealed record StoredLogEvent(long Id, string StreamName, long Timestamp, long IngestionTime, string Message)
{
    /// <summary>The eventId FilterLogEvents returns: the same for the same event on every call.</summary>
    public string EventId => Id.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One page of a listing; <paramref name="NextToken"/> is null on the last page.</summary>
public sealed record LogPage<T>(IReadOnlyList<T> Items, string? NextToken);

/// <summary>Outcome of operations on a stream: the group or the stream may be missing.</summary>
public enum StreamOutcome
{
    Done,
    GroupNotFound,
    StreamNotFound,
    StreamExists,
}

/// <summary>Result of an append: how far the source file is recorded, and what was stored.</summary>
public sealed record AppendResult(StreamOutcome Outcome, long SourceOffset, int Stored);

/// <summary>What GetLogEvents returns: events in ascending time order and the AWS-style f/ and b/ tokens.</summary>
/// Tokens are null unless the outcome is <see cref="StreamOutcome.Done"/>.
public sealed record StreamEventsPage(StreamOutcome Outcome, IReadOnlyList<StoredLogEvent> Events, string? NextForwardToken, string? NextBackwardToken);

/// <summary>What FilterLogEvents returns: matching events ordered by (timestamp, id) and the streams searched.</summary>
public sealed record FilteredEventsPage(IReadOnlyList<StoredLogEvent> Events, IReadOnlyList<string> SearchedStreams, string? NextToken);
