using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gantry.Domain.Arns;

/// <summary>Builds and parses ECS ARNs in AWS's long format.</summary>
public sealed class EcsArns(AwsAccount account)
{
    private readonly string _prefix = $"arn:{account.Partition}:ecs:{account.Region}:{account.AccountId}:";

    public AwsAccount Account => account;

    public string Cluster(string name) => $"{_prefix}cluster/{name}";

    /// <summary>The long ARN format: <c>container-instance/&lt;cluster&gt;/&lt;id&gt;</c>.</summary>
    public string ContainerInstance(string cluster, string id) => $"{_prefix}container-instance/{cluster}/{id}";

    /// <summary>The id of a container instance from its ARN (either format) or the bare id.</summary>
    public static string ContainerInstanceId(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var slash = reference.LastIndexOf('/');
        return slash >= 0 ? reference[(slash + 1)..] : reference;
    }

    public string TaskDefinition(string family, int revision) =>
        $"{_prefix}task-definition/{family}:{revision.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Accepts a cluster's short name or its ARN; returns the name. Does not check existence.</summary>
    public string ClusterName(string nameOrArn)
    {
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return nameOrArn;
        }
        return TryResource(nameOrArn, "cluster/", out var name) ? name : nameOrArn;
    }

    /// <summary>
    /// Splits "family", "family:revision" or a task definition ARN. Revision is null when absent.
    /// Returns false when the text is not a task definition reference at all.
    /// </summary>
    public bool TryParseTaskDefinition(string reference, [NotNullWhen(true)] out string? family, out int? revision)
    {
        family = null;
        revision = null;
        var text = reference;
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!TryResource(text, "task-definition/", out var resource))
            {
                return false;
            }
            text = resource;
        }
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            family = text;
            return text.Length > 0;
        }
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return false;
        }
        family = text[..colon];
        revision = number;
        return family.Length > 0;
    }

    /// <summary>True when <paramref name="arn"/> is an ARN of this account and region for <paramref name="resourcePrefix"/>.</summary>
    public bool TryResource(string arn, string resourcePrefix, [NotNullWhen(true)] out string? resource)
    {
        resource = null;
        if (!arn.StartsWith(_prefix, StringComparison.Ordinal)
            || !arn.AsSpan(_prefix.Length).StartsWith(resourcePrefix, StringComparison.Ordinal))
        {
            return false;
        }
        resource = arn[(_prefix.Length + resourcePrefix.Length)..];
        return resource.Length > 0;
    }
}
