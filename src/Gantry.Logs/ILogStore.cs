namespace Gantry.Logs;

/// <summary>
/// The store behind the CloudWatch Logs API and the agents' log shipping: groups, streams and append-only
/// events indexed by (group, stream, timestamp). Names arrive validated by the API layer.
/// Methods return outcomes instead of throwing for missing or existing resources; the API maps them to
/// ResourceNotFoundException / ResourceAlreadyExistsException. Tokens are opaque strings the store
/// produced; a token it cannot read makes the method throw <see cref="ArgumentException"/>.
/// </summary>
public interface ILogStore : IAsyncDisposable
{
    /// <summary>False if the group already exists.</summary>
    Task<bool> CreateGroupAsync(string group, long creationTime, CancellationToken ct);

    /// <summary>Deletes the group with its streams and events; false if it did not exist.</summary>
    Task<bool> DeleteGroupAsync(string group, CancellationToken ct);

    /// <summary>Groups by name; <paramref name="namePattern"/> is a case-insensitive substring; the token is the store's own.</summary>
    Task<LogPage<LogGroupInfo>> DescribeGroupsAsync(string? namePrefix, string? namePattern, string? nextToken, int limit, CancellationToken ct);

    /// <summary>Null when the group does not exist.</summary>
    Task<LogGroupInfo?> GetGroupAsync(string group, CancellationToken ct);

    /// <summary>Sets (or with null, removes) the group's retention; false if the group does not exist.</summary>
    Task<bool> SetRetentionAsync(string group, int? retentionInDays, CancellationToken ct);

    Task<StreamOutcome> CreateStreamAsync(string group, string stream, long creationTime, CancellationToken ct);

    Task<StreamOutcome> DeleteStreamAsync(string group, string stream, CancellationToken ct);

    /// <summary>
    /// Streams of a group ordered by name (prefix allowed) or by last event time (no prefix; streams without
    /// events last), ascending or descending. Null when the group does not exist.
    /// </summary>
    Task<LogPage<LogStreamInfo>?> DescribeStreamsAsync(string group, string? namePrefix, bool orderByLastEventTime, bool descending,
        string? nextToken, int limit, CancellationToken ct);

    /// <summary>
    /// Appends events (already validated: timestamps 0 or more, as CloudWatch's, and in chronological order) in one
    /// durable transaction.
    /// With <paramref name="createMissing"/> a missing group and stream are created (the agent's path with
    /// awslogs-create-group); otherwise a missing group or stream is reported and nothing is stored.
    /// Events with a SourceOffset not above the stream's recorded offset are skipped.
    /// </summary>
    Task<AppendResult> AppendAsync(string group, string stream, IReadOnlyList<NewLogEvent> events, long ingestionTime,
        bool createMissing, CancellationToken ct);

    /// <summary>The source offset recorded for a stream (0 when nothing was shipped); outcome tells missing group/stream.</summary>
    Task<AppendResult> GetSourceOffsetAsync(string group, string stream, CancellationToken ct);

    /// <summary>
    /// GetLogEvents: events of one stream within [startTime, endTime). Without a token, startFromHead reads
    /// the oldest events first, otherwise the newest <paramref name="limit"/> events. Tokens are "f/…" (newer)
    /// and "b/…" (older); reading forward at the end returns the same forward token.
    /// </summary>
    Task<StreamEventsPage> GetStreamEventsAsync(string group, string stream, long? startTime, long? endTime, bool startFromHead,
        string? token, int limit, CancellationToken ct);

    /// <summary>
    /// FilterLogEvents: events of the group (optionally only the named streams or a name prefix) within
    /// [startTime, endTime) that match the pattern, ordered by (timestamp, id). A page ends after
    /// <paramref name="limit"/> events or when a scan budget is spent; NextToken continues exactly after the
    /// last event examined. Null when the group does not exist.
    /// </summary>
    Task<FilteredEventsPage?> FilterEventsAsync(string group, IReadOnlyList<string>? streamNames, string? streamNamePrefix,
        long? startTime, long? endTime, FilterPattern pattern, string? nextToken, int limit, CancellationToken ct);

    /// <summary>Deletes events older than each group's retention as of <paramref name="now"/>; returns how many were deleted.</summary>
    Task<long> DeleteExpiredAsync(long now, CancellationToken ct);
}
