using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Gantry.Domain.Arns;

namespace Gantry.ControlPlane.Capacity;

/// <summary>
/// Gantry has no Auto Scaling groups: an EC2-style capacity provider is backed by a group of Gantry nodes, named by the
/// Auto Scaling group ARN the model requires. The group name of
/// <c>arn:&lt;partition&gt;:autoscaling:&lt;region&gt;:&lt;account&gt;:autoScalingGroup:&lt;uuid&gt;:autoScalingGroupName/&lt;name&gt;</c>
/// (this installation's partition, region and account; any uuid), or a bare <c>&lt;name&gt;</c> as ECS also accepts,
/// selects the container instances whose attribute <c>gantry.node-group</c> equals <c>&lt;name&gt;</c> (set it with
/// <c>gantry agent --attribute gantry.node-group=&lt;name&gt;</c> or PutAttributes). Names are 1-128 letters, digits,
/// <c>.</c>, <c>_</c>, <c>-</c> and <c>@</c>.
/// </summary>
public static partial class NodeGroups
{
    /// <summary>The container instance attribute that puts a node in a group.</summary>
    public const string Attribute = "gantry.node-group";

    /// <summary>The node group an <c>autoScalingGroupArn</c> selects, or false when it is neither such an ARN of this
    /// installation nor a bare group name.</summary>
    public static bool TryParse(string? autoScalingGroupArn, AwsAccount account, [NotNullWhen(true)] out string? group)
    {
        ArgumentNullException.ThrowIfNull(account);
        group = null;
        if (string.IsNullOrEmpty(autoScalingGroupArn))
        {
            return false;
        }
        var name = autoScalingGroupArn;
        if (autoScalingGroupArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            var match = ArnPattern().Match(autoScalingGroupArn);
            if (!match.Success || match.Groups["partition"].Value != account.Partition || match.Groups["region"].Value != account.Region
                || match.Groups["account"].Value != account.AccountId)
            {
                return false;
            }
            name = match.Groups["name"].Value;
        }
        if (!NamePattern().IsMatch(name))
        {
            return false;
        }
        group = name;
        return true;
    }

    /// <summary>The ARN Gantry would give the group (for examples and tests).</summary>
    public static string Arn(AwsAccount account, string group)
    {
        ArgumentNullException.ThrowIfNull(account);
        var id = new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(group)).AsSpan(0, 16));
        return $"arn:{account.Partition}:autoscaling:{account.Region}:{account.AccountId}:autoScalingGroup:{id}:autoScalingGroupName/{group}";
    }

    [GeneratedRegex("^arn:(?<partition>[a-z-]+):autoscaling:(?<region>[a-z0-9-]+):(?<account>[0-9]{12}):autoScalingGroup:[0-9a-fA-F-]{36}:autoScalingGroupName/(?<name>.+)$")]
    private static partial Regex ArnPattern();

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex NamePattern();
}
