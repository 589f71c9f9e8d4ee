using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.Logs;
using Gantry.Logs;

namespace Gantry.Api.Logs;

/// <summary>CreateLogStream, DeleteLogStream, DescribeLogStreams.</summary>
public sealed class LogStreamOperations(ILogStore store, LogsArns arns, TimeProvider time)
{
    public async Task CreateAsync(CreateLogStreamRequest request, CancellationToken ct)
    {
        var group = LogNames.GroupName(request.LogGroupName);
        var stream = LogNames.StreamName(request.LogStreamName);
        Throw(await store.CreateStreamAsync(group, stream, time.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false));
    }

    public async Task DeleteAsync(DeleteLogStreamRequest request, CancellationToken ct)
    {
        var group = LogNames.GroupName(request.LogGroupName);
        var stream = LogNames.StreamName(request.LogStreamName);
        Throw(await store.DeleteStreamAsync(group, stream, ct).ConfigureAwait(false));
    }

    public async Task<DescribeLogStreamsResponse> DescribeAsync(DescribeLogStreamsRequest request, CancellationToken ct)
    {
        var group = LogsRequests.Group(request.LogGroupName, request.LogGroupIdentifier, arns);
        var orderBy = request.OrderBy ?? OrderByValues.LogStreamName;
        if (!OrderByValues.All.Contains(orderBy))
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value '{orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", OrderByValues.All)}]");
        }
        var byTime = orderBy == OrderByValues.LastEventTime;
        if (byTime && request.LogStreamNamePrefix is not null)
        {
            throw LogsErrors.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        }
        if (request.LogStreamNamePrefix is { } prefix)
        {
            LogNames.StreamName(prefix, "logStreamNamePrefix");
        }
        var limit = LogsRequests.Limit(request.Limit, 50);
        var page = await LogsRequests.WithTokenAsync(() => store.DescribeStreamsAsync(group, request.LogStreamNamePrefix, byTime,
            request.Descending ?? false, request.NextToken, limit, ct)).ConfigureAwait(false) ?? throw LogsErrors.GroupNotFound();
        return new DescribeLogStreamsResponse
        {
            LogStreams = [.. page.Items.Select(s => new LogStream
            {
                LogStreamName = s.Name,
                CreationTime = s.CreationTime,
                FirstEventTimestamp = s.FirstEventTimestamp,
                LastEventTimestamp = s.LastEventTimestamp,
                LastIngestionTime = s.LastIngestionTime,
                Arn = arns.Stream(group, s.Name),
                StoredBytes = s.StoredBytes,
            })],
            NextToken = page.NextToken,
        };
    }

    /// <summary>Maps a store outcome to the Logs error it means (nothing for Done).</summary>
    internal static void Throw(StreamOutcome outcome)
    {
        switch (outcome)
        {
            case StreamOutcome.GroupNotFound:
                throw LogsErrors.GroupNotFound();
            case StreamOutcome.StreamNotFound:
                throw LogsErrors.StreamNotFound();
            case StreamOutcome.StreamExists:
                throw LogsErrors.StreamExists();
        }
    }
}
