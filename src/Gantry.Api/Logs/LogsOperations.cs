using Gantry.Api.Front;
using Gantry.Domain.Logs;

namespace Gantry.Api.Logs;

/// <summary>Registers the CloudWatch Logs operations under <c>Logs_20140328</c>.</summary>
public static class LogsOperations
{
    /// <summary>The SigV4 signing name (the model's <c>aws.auth#sigv4</c> name).</summary>
    public const string SigningName = "logs";

    public const string Prefix = "Logs_20140328";

    public static AwsOperationTable.Builder MapLogs(this AwsOperationTable.Builder table, LogGroupOperations groups, LogStreamOperations streams,
        LogEventOperations events) => table
        .Service(Prefix, SigningName)
        .Map<CreateLogGroupRequest>(Prefix, "CreateLogGroup", (r, _, ct) => groups.CreateAsync(r, ct))
        .Map<DeleteLogGroupRequest>(Prefix, "DeleteLogGroup", (r, _, ct) => groups.DeleteAsync(r, ct))
        .Map<DescribeLogGroupsRequest, DescribeLogGroupsResponse>(Prefix, "DescribeLogGroups", (r, _, ct) => groups.DescribeAsync(r, ct))
        .Map<PutRetentionPolicyRequest>(Prefix, "PutRetentionPolicy", (r, _, ct) => groups.PutRetentionAsync(r, ct))
        .Map<DeleteRetentionPolicyRequest>(Prefix, "DeleteRetentionPolicy", (r, _, ct) => groups.DeleteRetentionAsync(r, ct))
        .Map<CreateLogStreamRequest>(Prefix, "CreateLogStream", (r, _, ct) => streams.CreateAsync(r, ct))
        .Map<DeleteLogStreamRequest>(Prefix, "DeleteLogStream", (r, _, ct) => streams.DeleteAsync(r, ct))
        .Map<DescribeLogStreamsRequest, DescribeLogStreamsResponse>(Prefix, "DescribeLogStreams", (r, _, ct) => streams.DescribeAsync(r, ct))
        .Map<PutLogEventsRequest, PutLogEventsResponse>(Prefix, "PutLogEvents", (r, _, ct) => events.PutAsync(r, ct))
        .Map<GetLogEventsRequest, GetLogEventsResponse>(Prefix, "GetLogEvents", (r, _, ct) => events.GetAsync(r, ct))
        .Map<FilterLogEventsRequest, FilterLogEventsResponse>(Prefix, "FilterLogEvents", (r, _, ct) => events.FilterAsync(r, ct));
}
