using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.Logs;
using Gantry.Logs;

namespace Gantry.Api.Logs;

/// <summary>PutLogEvents, GetLogEvents, FilterLogEvents.</summary>
public sealed class LogEventOperations(ILogStore store, LogsArns arns, TimeProvider time)
{
    public async Task<PutLogEventsResponse> PutAsync(PutLogEventsRequest request, CancellationToken ct)
    {
        var group = LogNames.GroupName(request.LogGroupName);
        var stream = LogNames.StreamName(request.LogStreamName);
        LogEventBatch.Validate(request.LogEvents);
        var info = await store.GetGroupAsync(group, ct).ConfigureAwait(false) ?? throw LogsErrors.GroupNotFound();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (accepted, rejected) = LogEventBatch.Sort(request.LogEvents!, now, info.RetentionInDays);
        var result = await store.AppendAsync(group, stream, accepted, now, createMissing: false, ct).ConfigureAwait(false);
        LogStreamOperations.Throw(result.Outcome);
        return new PutLogEventsResponse { RejectedLogEventsInfo = rejected };
    }

    public async Task<GetLogEventsResponse> GetAsync(GetLogEventsRequest request, CancellationToken ct)
    {
        var group = LogsRequests.Group(request.LogGroupName, request.LogGroupIdentifier, arns);
        var stream = LogNames.StreamName(request.LogStreamName);
        LogsRequests.NonNegative(request.StartTime, "startTime");
        LogsRequests.NonNegative(request.EndTime, "endTime");
        var limit = LogsRequests.Limit(request.Limit, 10_000);
        var page = await LogsRequests.WithTokenAsync(() => store.GetStreamEventsAsync(group, stream, request.StartTime, request.EndTime,
            request.StartFromHead ?? false, request.NextToken, limit, ct)).ConfigureAwait(false);
        LogStreamOperations.Throw(page.Outcome);
        return new GetLogEventsResponse
        {
            Events = [.. page.Events.Select(e => new OutputLogEvent { Timestamp = e.Timestamp, Message = e.Message, IngestionTime = e.IngestionTime })],
            NextForwardToken = page.NextForwardToken,
            NextBackwardToken = page.NextBackwardToken,
        };
    }

    public async Task<FilterLogEventsResponse> FilterAsync(FilterLogEventsRequest request, CancellationToken ct)
    {
        var group = LogsRequests.Group(request.LogGroupName, request.LogGroupIdentifier, arns);
        if (request.LogStreamNames is not null && request.LogStreamNamePrefix is not null)
        {
            throw LogsErrors.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
        }
        if (request.LogStreamNames is { } names)
        {
            if (names.Count is < 1 or > 100)
            {
                throw LogsErrors.InvalidParameter("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length between 1 and 100");
            }
            foreach (var name in names)
            {
                LogNames.StreamName(name, "logStreamNames");
            }
        }
        if (request.LogStreamNamePrefix is { } prefix)
        {
            LogNames.StreamName(prefix, "logStreamNamePrefix");
        }
        LogsRequests.NonNegative(request.StartTime, "startTime");
        LogsRequests.NonNegative(request.EndTime, "endTime");
        if (request.StartTime > request.EndTime)
        {
            throw LogsErrors.InvalidParameter($"startTime ({request.StartTime}) is after endTime ({request.EndTime}).");
        }
        var limit = LogsRequests.Limit(request.Limit, 10_000);
        FilterPattern pattern;
        try
        {
            pattern = FilterPattern.Parse(request.FilterPattern);
        }
        catch (FormatException e)
        {
            throw LogsErrors.InvalidParameter($"Invalid filter pattern: {e.Message}");
        }
        // FilterLogEvents' endTime is inclusive ("events with a timestamp later than this time are not returned"); the
        // store's is exclusive, so endTime 2^63−1 (a valid Timestamp) means no end rather than overflowing into one.
        var before = request.EndTime < long.MaxValue ? request.EndTime + 1 : null;
        var page = await LogsRequests.WithTokenAsync(() => store.FilterEventsAsync(group, request.LogStreamNames, request.LogStreamNamePrefix,
            request.StartTime, before, pattern, request.NextToken, limit, ct)).ConfigureAwait(false) ?? throw LogsErrors.GroupNotFound();
        return new FilterLogEventsResponse
        {
            Events = [.. page.Events.Select(e => new FilteredLogEvent
            {
                LogStreamName = e.StreamName,
                Timestamp = e.Timestamp,
                Message = e.Message,
                IngestionTime = e.IngestionTime,
                EventId = e.EventId,
            })],
            SearchedLogStreams = [.. page.SearchedStreams.Select(s => new SearchedLogStream { LogStreamName = s, SearchedCompletely = page.NextToken is null })],
            NextToken = page.NextToken,
        };
    }
}
