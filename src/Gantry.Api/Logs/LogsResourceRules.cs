using Gantry.Api.Authorization;
using Gantry.Domain.Arns;
using Gantry.Domain.Logs;

namespace Gantry.Api.Logs;

/// <summary>
/// The resources of CloudWatch Logs' actions in the form AWS evaluates them: a stream action on
/// <c>…:log-group:&lt;group&gt;:log-stream:&lt;stream&gt;</c>, a group action on <c>…:log-group:&lt;group&gt;:log-stream:</c>
/// (so <c>log-group:&lt;group&gt;:*</c> in a policy covers both, and a bare group ARN neither, as in AWS), and
/// DescribeLogGroups on <c>…:log-group::log-stream:</c>.
/// </summary>
public static class LogsResourceRules
{
    private const string Prefix = LogsOperations.Prefix;

    public static ResourceRules.Builder MapLogsResources(this ResourceRules.Builder rules, AwsAccount account)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var arns = new LogsArns(account);
        IReadOnlyList<AuthorizationTarget> Group(string? name, string? identifier = null) =>
            [new($"{arns.Group((identifier is null ? null : arns.GroupName(identifier)) ?? name ?? "")}:log-stream:")];
        IReadOnlyList<AuthorizationTarget> Stream(string? group, string? stream, string? identifier = null) =>
            [new(arns.Stream((identifier is null ? null : arns.GroupName(identifier)) ?? group ?? "", stream ?? ""))];
        return rules
            .For<CreateLogGroupRequest>(Prefix, "CreateLogGroup", r => Group(r.LogGroupName))
            .For<DeleteLogGroupRequest>(Prefix, "DeleteLogGroup", r => Group(r.LogGroupName))
            .For<DescribeLogGroupsRequest>(Prefix, "DescribeLogGroups", _ => Group(""))
            .For<PutRetentionPolicyRequest>(Prefix, "PutRetentionPolicy", r => Group(r.LogGroupName))
            .For<DeleteRetentionPolicyRequest>(Prefix, "DeleteRetentionPolicy", r => Group(r.LogGroupName))
            .For<CreateLogStreamRequest>(Prefix, "CreateLogStream", r => Group(r.LogGroupName))
            .For<DescribeLogStreamsRequest>(Prefix, "DescribeLogStreams", r => Group(r.LogGroupName, r.LogGroupIdentifier))
            .For<FilterLogEventsRequest>(Prefix, "FilterLogEvents", r => Group(r.LogGroupName, r.LogGroupIdentifier))
            .For<DeleteLogStreamRequest>(Prefix, "DeleteLogStream", r => Stream(r.LogGroupName, r.LogStreamName))
            .For<PutLogEventsRequest>(Prefix, "PutLogEvents", r => Stream(r.LogGroupName, r.LogStreamName))
            .For<GetLogEventsRequest>(Prefix, "GetLogEvents", r => Stream(r.LogGroupName, r.LogStreamName, r.LogGroupIdentifier));
    }
}
