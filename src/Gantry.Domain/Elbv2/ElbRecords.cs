namespace Gantry.Domain.Elbv2;

/// <summary>
/// The store kinds of Elastic Load Balancing and how their keys are built. Names are unique per account, so load
/// balancers and target groups are keyed by name; listeners and rules under their load balancer's name, so a load
/// balancer's whole configuration is one prefix scan.
/// </summary>
public static class ElbKinds
{
    /// <summary><see cref="LoadBalancerRecord"/>, key its name.</summary>
    public const string LoadBalancer = "elb-load-balancer";

    /// <summary><see cref="ListenerRecord"/>, key "&lt;load balancer name&gt;/&lt;listener id&gt;".</summary>
    public const string Listener = "elb-listener";

    /// <summary><see cref="RuleRecord"/>, key "&lt;load balancer name&gt;/&lt;listener id&gt;/&lt;rule id&gt;".</summary>
    public const string Rule = "elb-rule";

    /// <summary><see cref="TargetGroupRecord"/>, key its name.</summary>
    public const string TargetGroup = "elb-target-group";

    /// <summary><see cref="TargetHealthRecord"/>, key "&lt;target group name&gt;/&lt;target id&gt;/&lt;port&gt;" (<see cref="TargetHealthKey"/>).</summary>
    public const string TargetHealth = "elb-target-health";

    /// <summary>Where an <c>instance</c> target's traffic goes: key the EC2 instance id of a node, body <see cref="InstanceAddressRecord"/>.</summary>
    public const string InstanceAddress = "elb-instance-address";

    /// <summary><see cref="ServerCertificateRecord"/> (IAM UploadServerCertificate), key its name.</summary>
    public const string ServerCertificate = "iam-server-certificate";

    public static string TargetHealthKey(string targetGroupName, string targetId, int port) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{targetGroupName}/{targetId}/{port}");
}

/// <summary>A load balancer as stored: the shape DescribeLoadBalancers returns, its attributes and tags, and the address its listeners bind.</summary>
/// <param name="ListenAddress">The IP address every listener of this load balancer binds (taken from the server's load balancer address pool); its DNS name resolves to it.</param>
public sealed record LoadBalancerRecord(LoadBalancer LoadBalancer, IReadOnlyList<LoadBalancerAttribute> Attributes, IReadOnlyList<ElbTag> Tags, string ListenAddress);

/// <summary>A listener as stored: the shape DescribeListeners returns (its DefaultActions are the default rule's).</summary>
public sealed record ListenerRecord(Listener Listener, IReadOnlyList<ElbTag> Tags);

/// <summary>A rule as stored: the shape DescribeRules returns. The default rule is not stored: it is the listener's DefaultActions.</summary>
public sealed record RuleRecord(Rule Rule, string ListenerArn, IReadOnlyList<ElbTag> Tags);

/// <summary>A target group as stored: the shape DescribeTargetGroups returns, its attributes, tags and registered targets.</summary>
public sealed record TargetGroupRecord(TargetGroup TargetGroup, IReadOnlyList<TargetGroupAttribute> Attributes, IReadOnlyList<ElbTag> Tags,
    IReadOnlyList<RegisteredTarget> Targets);

/// <summary>
/// A target registered in a target group. A deregistered target stays, <paramref name="DrainingSince"/> set, until the
/// group's <c>deregistration_delay.timeout_seconds</c> has passed: it takes no new requests meanwhile and shows <c>draining</c>.
/// </summary>
/// <param name="Id">An instance id (target type <c>instance</c>) or an IPv4 address (<c>ip</c>).</param>
public sealed record RegisteredTarget(string Id, int Port, string? AvailabilityZone, DateTimeOffset RegisteredAt, DateTimeOffset? DrainingSince = null);

/// <summary>
/// A target's health as the data plane's checks last decided it (written on every change of state, not on every check);
/// <c>State</c>/<c>Reason</c>/<c>Description</c> as <see cref="TargetHealth"/> carries them.
/// </summary>
/// <param name="HealthySince">When the target last turned healthy (slow start counts from it).</param>
public sealed record TargetHealthRecord(string TargetGroupArn, string Id, int Port, string State, string? Reason, string? Description,
    DateTimeOffset Since, DateTimeOffset? HealthySince = null);

/// <summary>The address a node's published ports are reachable at, for <c>instance</c> targets on it.</summary>
/// <param name="PeerAddress">The address its agent connects from: where other nodes route its awsvpc tasks' addresses.</param>
public sealed record InstanceAddressRecord(string InstanceId, string Address, DateTimeOffset UpdatedAt, string? PeerAddress = null);

/// <summary>An IAM server certificate (what HTTPS listeners name by ARN): its PEM chain and its private key sealed with the master key.</summary>
/// <param name="SealedPrivateKey">The PEM private key, <c>MasterKey.Seal</c>ed with context <c>"server-certificate:" + name</c>.</param>
public sealed record ServerCertificateRecord(Iam.ServerCertificateMetadata Metadata, string CertificateBody, string? CertificateChain, string SealedPrivateKey);
