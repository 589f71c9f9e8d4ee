using System.Xml.Linq;
using static Gantry.Cli.Commands.LbQueryClient;

namespace Gantry.Cli.Commands;

/// <summary>What `gantry lb` shows of one load balancer, read through the ELBv2 API.</summary>
internal sealed record LbView(string Name, string Type, string State, string DnsName, string Address, IReadOnlyList<LbListenerView> Listeners,
    IReadOnlyList<LbGroupView> Groups)
{
    public int Healthy => Groups.Sum(g => g.Targets.Count(t => t.State == "healthy"));

    public int Targets => Groups.Sum(g => g.Targets.Count);

    /// <summary>Every load balancer (or the one named), with listeners, rules, target groups and target health.</summary>
    public static async Task<IReadOnlyList<LbView>> ReadAsync(LbQueryClient client, string? name, bool withRules, CancellationToken ct)
    {
        var balancers = await client.CallAsync("DescribeLoadBalancers", name is null ? [] : [("Names.member.1", name)], ct).ConfigureAwait(false);
        var views = new List<LbView>();
        foreach (var balancer in Members(balancers, "LoadBalancers"))
        {
            var arn = Text(balancer, "LoadBalancerArn")!;
            var listeners = new List<LbListenerView>();
            foreach (var listener in Members(await client.CallAsync("DescribeListeners", [("LoadBalancerArn", arn)], ct).ConfigureAwait(false), "Listeners"))
            {
                var rules = withRules
                    ? Members(await client.CallAsync("DescribeRules", [("ListenerArn", Text(listener, "ListenerArn")!)], ct).ConfigureAwait(false), "Rules")
                        .Select(LbRuleView.Of).OrderBy(r => r.Order).ToList()
                    : [];
                listeners.Add(new LbListenerView($"{Text(listener, "Protocol")}:{Text(listener, "Port")}", rules));
            }
            var groups = new List<LbGroupView>();
            foreach (var group in Members(await client.CallAsync("DescribeTargetGroups", [("LoadBalancerArn", arn)], ct).ConfigureAwait(false), "TargetGroups"))
            {
                var health = await client.CallAsync("DescribeTargetHealth", [("TargetGroupArn", Text(group, "TargetGroupArn")!)], ct).ConfigureAwait(false);
                groups.Add(new LbGroupView(Text(group, "TargetGroupName")!, $"{Text(group, "Protocol")}:{Text(group, "Port")}",
                    Members(health, "TargetHealthDescriptions").Select(d => new LbTargetView(
                        $"{Text(d.Element(Ns + "Target"), "Id")}:{Text(d.Element(Ns + "Target"), "Port")}",
                        Text(d.Element(Ns + "TargetHealth"), "State") ?? "?", Text(d.Element(Ns + "TargetHealth"), "Reason"))).ToList()));
            }
            // ELB lists addresses for network load balancers only; an application one's is what its DNS name resolves to here.
            var address = Members(balancer, "AvailabilityZones").SelectMany(z => Members(z, "LoadBalancerAddresses"))
                .Select(a => Text(a, "IpAddress")).FirstOrDefault(a => a is not null)
                ?? await ResolveAsync(Text(balancer, "DNSName"), ct).ConfigureAwait(false);
            views.Add(new LbView(Text(balancer, "LoadBalancerName")!, Text(balancer, "Type") ?? "application", Text(balancer.Element(Ns + "State"), "Code") ?? "?",
                Text(balancer, "DNSName") ?? "-", address ?? "-", listeners, groups));
        }
        return views;
    }

    private static async Task<string?> ResolveAsync(string? dnsName, CancellationToken ct)
    {
        if (dnsName is null)
        {
            return null;
        }
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(dnsName, System.Net.Sockets.AddressFamily.InterNetwork, ct).ConfigureAwait(false);
            return addresses.Length == 0 ? null : addresses[0].ToString();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}

internal sealed record LbListenerView(string Name, IReadOnlyList<LbRuleView> Rules);

internal sealed record LbGroupView(string Name, string Port, IReadOnlyList<LbTargetView> Targets);

internal sealed record LbTargetView(string Target, string State, string? Reason);

/// <summary>A rule as one line: its priority, its conditions and its actions.</summary>
internal sealed record LbRuleView(string Priority, int Order, string Conditions, string Actions)
{
    public static LbRuleView Of(XElement rule)
    {
        var priority = Text(rule, "Priority") ?? "default";
        var order = int.TryParse(priority, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : int.MaxValue;
        var conditions = string.Join(", ", Members(rule, "Conditions").Select(Condition));
        var actions = string.Join(", then ", Members(rule, "Actions")
            .OrderBy(a => int.TryParse(Text(a, "Order"), System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0).Select(Action));
        return new LbRuleView(priority, order, conditions.Length == 0 ? "*" : conditions, actions);
    }

    private static string Condition(XElement condition)
    {
        var field = Text(condition, "Field") ?? "?";
        static string Values(XElement? config) => string.Join("|", Members(config, "Values").Select(v => v.Value));
        return field switch
        {
            "http-header" when condition.Element(Ns + "HttpHeaderConfig") is { } header => $"header {Text(header, "HttpHeaderName")}={Values(header)}",
            "query-string" when condition.Element(Ns + "QueryStringConfig") is { } query =>
                "query " + string.Join("|", Members(query, "Values").Select(v => Text(v, "Key") is { } key ? $"{key}={Text(v, "Value")}" : Text(v, "Value"))),
            _ => $"{Short(field)} {Configured(condition) ?? Values(condition)}",
        };
    }

    private static string? Configured(XElement condition)
    {
        var config = condition.Elements().FirstOrDefault(e => e.Name.LocalName.EndsWith("Config", StringComparison.Ordinal));
        var values = Members(config, "Values").Select(v => v.Value).ToList();
        return values.Count > 0 ? string.Join("|", values) : null;
    }

    private static string Short(string field) => field switch
    {
        "host-header" => "host",
        "path-pattern" => "path",
        "http-request-method" => "method",
        "source-ip" => "source",
        _ => field,
    };

    private static string Action(XElement action) => Text(action, "Type") switch
    {
        "forward" when Members(action.Element(Ns + "ForwardConfig"), "TargetGroups").ToList() is { Count: > 1 } weighted =>
            "forward " + string.Join(" ", weighted.Select(g => $"{GroupName(Text(g, "TargetGroupArn"))}={Text(g, "Weight") ?? "1"}")),
        "forward" => "forward " + GroupName(Text(action, "TargetGroupArn")
            ?? Members(action.Element(Ns + "ForwardConfig"), "TargetGroups").Select(g => Text(g, "TargetGroupArn")).FirstOrDefault()),
        "redirect" when action.Element(Ns + "RedirectConfig") is { } redirect =>
            $"redirect {Text(redirect, "StatusCode")?.Replace("HTTP_", "", StringComparison.Ordinal)} {Text(redirect, "Protocol") ?? "#{protocol}"}://{Text(redirect, "Host") ?? "#{host}"}:{Text(redirect, "Port") ?? "#{port}"}{Text(redirect, "Path") ?? "/#{path}"}",
        "fixed-response" when action.Element(Ns + "FixedResponseConfig") is { } fixedResponse => $"fixed-response {Text(fixedResponse, "StatusCode")}",
        var type => type ?? "?",
    };

    /// <summary>A target group's name from its ARN (…:targetgroup/&lt;name&gt;/&lt;id&gt;).</summary>
    public static string GroupName(string? arn) => arn?.Split('/') is [.., var name, _] ? name : arn ?? "?";
}
