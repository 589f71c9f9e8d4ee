using Gantry.ControlPlane.Logs;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.Logs;
using Gantry.Logs;

namespace Gantry.Api.Logs;

/// <summary>CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy.</summary>
public sealed class LogGroupOperations(ILogStore store, LogsArns arns, RetentionSweeper sweeper, TimeProvider time)
{
    public async Task CreateAsync(CreateLogGroupRequest request, CancellationToken ct)
    {
        var name = LogNames.GroupName(request.LogGroupName);
        if (request.LogGroupClass is { } logClass && logClass != LogGroupClassValues.STANDARD)
        {
            throw LogsErrors.InvalidParameter($"logGroupClass '{logClass}' is not supported: Gantry keeps every log group in the STANDARD class.");
        }
        if (request.KmsKeyId is not null)
        {
            throw LogsErrors.InvalidParameter("kmsKeyId is not supported: Gantry has no KMS; log events are stored on the control plane's disk.");
        }
        if (!await store.CreateGroupAsync(name, time.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false))
        {
            throw LogsErrors.GroupExists();
        }
    }

    public async Task DeleteAsync(DeleteLogGroupRequest request, CancellationToken ct)
    {
        if (!await store.DeleteGroupAsync(LogNames.GroupName(request.LogGroupName), ct).ConfigureAwait(false))
        {
            throw LogsErrors.GroupNotFound();
        }
    }

    public async Task<DescribeLogGroupsResponse> DescribeAsync(DescribeLogGroupsRequest request, CancellationToken ct)
    {
        if (request.LogGroupNamePrefix is not null && request.LogGroupNamePattern is not null)
        {
            throw LogsErrors.InvalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }
        if (request.LogGroupNamePrefix is { } prefix)
        {
            LogNames.GroupName(prefix, "logGroupNamePrefix");
        }
        var limit = LogsRequests.Limit(request.Limit, 50);
        var page = await LogsRequests.WithTokenAsync(() =>
            store.DescribeGroupsAsync(request.LogGroupNamePrefix, request.LogGroupNamePattern, request.NextToken, limit, ct)).ConfigureAwait(false);
        return new DescribeLogGroupsResponse { LogGroups = [.. page.Items.Select(Shape)], NextToken = page.NextToken };
    }

    public async Task PutRetentionAsync(PutRetentionPolicyRequest request, CancellationToken ct)
    {
        var name = LogNames.GroupName(request.LogGroupName);
        if (request.RetentionInDays is not { } days || !LogsRequests.RetentionDays.Contains(days))
        {
            throw LogsErrors.InvalidParameter(
                $"1 validation error detected: Value '{request.RetentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", LogsRequests.RetentionDays.Order())}]");
        }
        if (!await store.SetRetentionAsync(name, days, ct).ConfigureAwait(false))
        {
            throw LogsErrors.GroupNotFound();
        }
        sweeper.Wake();
    }

    public async Task DeleteRetentionAsync(DeleteRetentionPolicyRequest request, CancellationToken ct)
    {
        if (!await store.SetRetentionAsync(LogNames.GroupName(request.LogGroupName), null, ct).ConfigureAwait(false))
        {
            throw LogsErrors.GroupNotFound();
        }
    }

    private LogGroup Shape(LogGroupInfo group) => new()
    {
        LogGroupName = group.Name,
        CreationTime = group.CreationTime,
        RetentionInDays = group.RetentionInDays,
        MetricFilterCount = 0,
        Arn = arns.GroupWildcard(group.Name),
        LogGroupArn = arns.Group(group.Name),
        StoredBytes = group.StoredBytes,
        LogGroupClass = LogGroupClassValues.STANDARD,
    };
}
