using System.Diagnostics.CodeAnalysis;

namespace Gantry.Domain.Arns;

/// <summary>
/// The fields of an ECS ARN, <c>arn:&lt;partition&gt;:ecs:&lt;region&gt;:&lt;account&gt;:&lt;type&gt;/&lt;resource&gt;</c>,
/// e.g. type <c>task</c> and resource <c>&lt;cluster&gt;/&lt;task id&gt;</c>. Built by <see cref="EcsArns"/>.
/// </summary>
public readonly record struct EcsArn(string Partition, string Region, string AccountId, string ResourceType, string Resource)
{
    /// <summary>Splits an ECS ARN of any partition, region and account; false when it is not one (every field
    /// but the region must be present).</summary>
    public static bool TryParse(string? arn, out EcsArn parsed)
    {
        parsed = default;
        var parts = (arn ?? "").Split(':', 6);
        if (parts is not ["arn", { Length: > 0 } partition, "ecs", var region, { Length: > 0 } account, var resource])
        {
            return false;
        }
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == resource.Length - 1)
        {
            return false;
        }
        parsed = new EcsArn(partition, region, account, resource[..slash], resource[(slash + 1)..]);
        return true;
    }

    /// <summary>The cluster and id of a task ARN in the long format, <c>task/&lt;cluster&gt;/&lt;id&gt;</c>.</summary>
    public static bool TryParseTask(string? arn, [NotNullWhen(true)] out string? cluster, [NotNullWhen(true)] out string? id)
    {
        cluster = null;
        id = null;
        if (!TryParse(arn, out var parsed) || parsed.ResourceType != "task"
            || parsed.Resource.Split('/') is not [{ Length: > 0 } name, { Length: > 0 } task])
        {
            return false;
        }
        cluster = name;
        id = task;
        return true;
    }
}
