namespace Gantry.Domain.Arns;

/// <summary>
/// Elastic Load Balancing ARNs: <c>arn:aws:elasticloadbalancing:&lt;region&gt;:&lt;account&gt;:loadbalancer/app/&lt;name&gt;/&lt;16 hex&gt;</c>
/// (<c>net/</c> for a network load balancer), <c>targetgroup/&lt;name&gt;/&lt;16 hex&gt;</c>,
/// <c>listener/app/&lt;lb&gt;/&lt;lb id&gt;/&lt;16 hex&gt;</c> and <c>listener-rule/app/&lt;lb&gt;/&lt;lb id&gt;/&lt;listener id&gt;/&lt;16 hex&gt;</c>;
/// and IAM server certificates, <c>arn:aws:iam::&lt;account&gt;:server-certificate/&lt;path&gt;&lt;name&gt;</c>.
/// </summary>
public sealed class ElbArns(AwsAccount account)
{
    private string Prefix => $"arn:{account.Partition}:elasticloadbalancing:{account.Region}:{account.AccountId}:";

    /// <summary>A new 16-hex-digit resource id.</summary>
    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary><c>app</c> for an application load balancer, <c>net</c> for a network one.</summary>
    public static string TypeSegment(string type) => type == "network" ? "net" : "app";

    public string LoadBalancer(string type, string name, string id) => $"{Prefix}loadbalancer/{TypeSegment(type)}/{name}/{id}";

    public string TargetGroup(string name, string id) => $"{Prefix}targetgroup/{name}/{id}";

    public string Listener(string type, string balancer, string balancerId, string id) => $"{Prefix}listener/{TypeSegment(type)}/{balancer}/{balancerId}/{id}";

    public string Rule(string type, string balancer, string balancerId, string listenerId, string id) =>
        $"{Prefix}listener-rule/{TypeSegment(type)}/{balancer}/{balancerId}/{listenerId}/{id}";

    public string ServerCertificate(string path, string name) => $"arn:{account.Partition}:iam::{account.AccountId}:server-certificate{path}{name}";

    /// <summary>
    /// The path segments after the resource type of an ARN of this account and region (e.g. <c>["app", "web", "50dc6c495c0c9188"]</c>
    /// for a load balancer), or null when <paramref name="arn"/> is not one of <paramref name="resourceType"/>.
    /// </summary>
    public IReadOnlyList<string>? Segments(string arn, string resourceType)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var head = Prefix + resourceType + "/";
        return arn.StartsWith(head, StringComparison.Ordinal) ? arn[head.Length..].Split('/') : null;
    }
}
