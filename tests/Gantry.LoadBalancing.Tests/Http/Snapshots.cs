using System.Net;
using System.Net.Sockets;
using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tests.Http;

/// <summary>Builds snapshots of one application load balancer on 127.0.0.1 for the tests.</summary>
internal static class Snapshots
{
    public const string Account = "arn:aws:elasticloadbalancing:us-east-1:000000000000";

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static string GroupArn(string name) => $"{Account}:targetgroup/{name}/0123456789abcdef";

    public static TargetGroupView Group(string name, IReadOnlyList<TargetView> targets, params (string Key, string Value)[] attributes) =>
        Group(name, "HTTP1", targets, attributes);

    public static TargetGroupView Group(string name, string protocolVersion, IReadOnlyList<TargetView> targets, params (string Key, string Value)[] attributes) =>
        new(new TargetGroupRecord(
            new TargetGroup { TargetGroupArn = GroupArn(name), TargetGroupName = name, Protocol = "HTTP", ProtocolVersion = protocolVersion, TargetType = "ip" },
            [.. attributes.Select(a => new TargetGroupAttribute { Key = a.Key, Value = a.Value })], [], []), targets);

    public static ElbAction Forward(string groupName) => new() { Type = "forward", TargetGroupArn = GroupArn(groupName) };

    public static ElbAction Fixed(string status, string body) =>
        new() { Type = "fixed-response", FixedResponseConfig = new FixedResponseActionConfig { StatusCode = status, ContentType = "text/plain", MessageBody = body } };

    public static ListenerView Listener(int port, IReadOnlyList<ElbAction> defaultActions, IReadOnlyList<Rule>? rules = null,
        ListenerCertificate? certificate = null) =>
        new(new Listener
        {
            ListenerArn = $"{Account}:listener/app/web/0123456789abcdef/{port:x16}",
            Port = port,
            Protocol = certificate is null ? "HTTP" : "HTTPS",
            DefaultActions = defaultActions,
        }, rules ?? [], certificate);

    public static Rule Rule(int priority, IReadOnlyList<RuleCondition> conditions, params ElbAction[] actions) =>
        new() { RuleArn = $"{Account}:listener-rule/app/web/{priority}", Priority = priority.ToString(System.Globalization.CultureInfo.InvariantCulture), Conditions = conditions, Actions = actions };

    public static LoadBalancingSnapshot Of(IReadOnlyList<ListenerView> listeners, params TargetGroupView[] groups) => Of(listeners, [], groups);

    public static LoadBalancingSnapshot Of(IReadOnlyList<ListenerView> listeners, IReadOnlyList<(string Key, string Value)> balancerAttributes, params TargetGroupView[] groups)
    {
        var balancer = new LoadBalancerRecord(
            new LoadBalancer { LoadBalancerArn = $"{Account}:loadbalancer/app/web/0123456789abcdef", LoadBalancerName = "web", Type = "application" },
            [.. balancerAttributes.Select(a => new LoadBalancerAttribute { Key = a.Key, Value = a.Value })], [], "127.0.0.1");
        return new LoadBalancingSnapshot(1, [new BalancerView(balancer, IPAddress.Loopback, listeners)], groups.ToDictionary(g => g.Arn));
    }

    /// <summary>A client that keeps cookies out of its way (tests read and send them by hand).</summary>
    public static HttpClient Client() => new(new SocketsHttpHandler { UseCookies = false, UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };
}
