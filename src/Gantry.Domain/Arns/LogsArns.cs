namespace Gantry.Domain.Arns;

/// <summary>CloudWatch Logs ARNs: <c>arn:&lt;partition&gt;:logs:&lt;region&gt;:&lt;account&gt;:log-group:&lt;name&gt;</c> (and its <c>:*</c> form).</summary>
public sealed class LogsArns(AwsAccount account)
{
    private string GroupPrefix => $"arn:{account.Partition}:logs:{account.Region}:{account.AccountId}:log-group:";

    /// <summary>The ARN DescribeLogGroups shows in <c>logGroupArn</c>.</summary>
    public string Group(string name) => GroupPrefix + name;

    /// <summary>The ARN DescribeLogGroups shows in <c>arn</c> (with the trailing <c>:*</c>).</summary>
    public string GroupWildcard(string name) => $"{GroupPrefix}{name}:*";

    public string Stream(string group, string stream) => $"{GroupPrefix}{group}:log-stream:{stream}";

    /// <summary>The group name a logGroupIdentifier names: the name itself or an ARN of this account and region (either form); null for a foreign ARN.</summary>
    public string? GroupName(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        if (!identifier.StartsWith("arn:", StringComparison.Ordinal))
        {
            return identifier;
        }
        if (!identifier.StartsWith(GroupPrefix, StringComparison.Ordinal) || identifier.Length == GroupPrefix.Length)
        {
            return null;
        }
        var name = identifier[GroupPrefix.Length..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }
}
