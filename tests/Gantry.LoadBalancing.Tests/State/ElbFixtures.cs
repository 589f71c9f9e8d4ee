using Gantry.Domain.Elbv2;

namespace Gantry.LoadBalancing.Tests.State;

/// <summary>Stored ELB records as the control plane writes them, reduced to what the data plane reads.</summary>
internal static class ElbFixtures
{
    public const string Account = "123456789012";

    public static readonly DateTimeOffset Registered = new(2026, 12, 6, 20, 0, 0, TimeSpan.Zero);

    public static string BalancerArn(string name, string type = "app") =>
        $"arn:aws:elasticloadbalancing:us-east-1:{Account}:loadbalancer/{type}/{name}/0123456789abcdef";

    public static string GroupArn(string name) => $"arn:aws:elasticloadbalancing:us-east-1:{Account}:targetgroup/{name}/0123456789abcdef";

    public static LoadBalancerRecord Balancer(string name, string address, string type = "application") => new(
        new LoadBalancer
        {
            LoadBalancerArn = BalancerArn(name, type == "network" ? "net" : "app"),
            LoadBalancerName = name,
            DNSName = $"{name}-1234567890.us-east-1.elb.amazonaws.com",
            Type = type,
        },
        [], [], address);

    public static Listener Listener(string balancer, string id, int port, string protocol, string forwardGroupArn, string? certificateArn = null, string type = "app") => new()
    {
        ListenerArn = $"arn:aws:elasticloadbalancing:us-east-1:{Account}:listener/{type}/{balancer}/0123456789abcdef/{id}",
        LoadBalancerArn = BalancerArn(balancer, type),
        Port = port,
        Protocol = protocol,
        Certificates = certificateArn is null ? null : [new Certificate { CertificateArn = certificateArn }],
        DefaultActions = [new ElbAction { Type = "forward", TargetGroupArn = forwardGroupArn }],
    };

    public static TargetGroupRecord Group(string name, string targetType, IReadOnlyList<RegisteredTarget> targets,
        IReadOnlyList<TargetGroupAttribute>? attributes = null, Func<TargetGroup, TargetGroup>? configure = null)
    {
        var group = new TargetGroup
        {
            TargetGroupArn = GroupArn(name),
            TargetGroupName = name,
            Protocol = "HTTP",
            Port = 80,
            TargetType = targetType,
            HealthCheckEnabled = true,
            HealthCheckProtocol = "HTTP",
            HealthCheckPort = "traffic-port",
            HealthCheckPath = "/",
            HealthCheckIntervalSeconds = 30,
            HealthCheckTimeoutSeconds = 5,
            HealthyThresholdCount = 5,
            UnhealthyThresholdCount = 2,
            Matcher = new Matcher { HttpCode = "200" },
        };
        return new TargetGroupRecord(configure is null ? group : configure(group), attributes ?? [], [], targets);
    }

    public static RegisteredTarget Target(string id, int port, DateTimeOffset? drainingSince = null) => new(id, port, null, Registered, drainingSince);
}
