using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gantry.Domain.Arns;

/// <summary>
/// Builds and parses the ARNs of ECS resources, in AWS's long format, for this installation's partition, region and
/// account (<c>arn:&lt;partition&gt;:ecs:&lt;region&gt;:&lt;account&gt;:</c> followed by):
/// <list type="bullet">
/// <item><c>cluster/&lt;cluster&gt;</c></item>
/// <item><c>service/&lt;cluster&gt;/&lt;service name&gt;</c></item>
/// <item><c>task/&lt;cluster&gt;/&lt;task id&gt;</c></item>
/// <item><c>container/&lt;cluster&gt;/&lt;task id&gt;/&lt;container id&gt;</c></item>
/// <item><c>container-instance/&lt;cluster&gt;/&lt;instance id&gt;</c></item>
/// <item><c>task-definition/&lt;family&gt;:&lt;revision&gt;</c></item>
/// <item><c>capacity-provider/&lt;name&gt;</c></item>
/// </list>
/// Requests name resources by ARN (long or short format) or by bare id or name; the <c>...Id</c> and <c>...Name</c>
/// methods accept all of them. <see cref="EcsArn"/> splits an ARN of any account.
/// </summary>
public sealed class EcsArns(AwsAccount account)
{
    private readonly string _prefix = $"arn:{account.Partition}:ecs:{account.Region}:{account.AccountId}:";

    /// <summary>The cluster a request means when it names none.</summary>
    public const string DefaultCluster = "default";

    public AwsAccount Account => account;

    public string Cluster(string name) => $"{_prefix}cluster/{name}";

    public string Service(string cluster, string name) => $"{_prefix}service/{cluster}/{name}";

    public string Task(string cluster, string id) => $"{_prefix}task/{cluster}/{id}";

    public string Container(string cluster, string taskId, string id) => $"{_prefix}container/{cluster}/{taskId}/{id}";

    public string ContainerInstance(string cluster, string id) => $"{_prefix}container-instance/{cluster}/{id}";

    public string TaskDefinition(string family, int revision) =>
        $"{_prefix}task-definition/{family}:{revision.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A family's ARN without a revision (what IAM is asked about when a family has no ACTIVE revision).</summary>
    public string TaskDefinitionFamily(string family) => $"{_prefix}task-definition/{family}";

    public string CapacityProvider(string name) => $"{_prefix}capacity-provider/{name}";

    /// <summary>The name of a capacity provider from its ARN (either format) or the bare name.</summary>
    public static string CapacityProviderName(string reference) => LastSegment(reference);

    /// <summary>The id of a task from its ARN (either format) or the bare id.</summary>
    public static string TaskId(string reference) => LastSegment(reference);

    /// <summary>The name of a service from its ARN (either format) or the bare name.</summary>
    public static string ServiceName(string reference) => LastSegment(reference);

    /// <summary>The id of a container instance from its ARN (either format) or the bare id.</summary>
    public static string ContainerInstanceId(string reference) => LastSegment(reference);

    /// <summary>The cluster a request names (short name or ARN), <see cref="DefaultCluster"/> when it names none.
    /// Does not check existence.</summary>
    public string ClusterOf(string? reference) => ClusterName(reference ?? DefaultCluster);

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

    private static string LastSegment(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference[(reference.LastIndexOf('/') + 1)..];
    }
}
