using System.Globalization;
using System.Net;
using System.Text;

namespace Gantry.Agent.Networking;

/// <summary>
/// Renders a task's <see cref="TaskFirewallPolicy"/> as one <c>iptables-restore</c> filter table for the task's own
/// network namespace (pure). INPUT and OUTPUT drop by default; always allowed: loopback, replies (conntrack
/// ESTABLISHED,RELATED), traffic with the node itself (its bridge address: published-port relays, load balancers and
/// health checks on the node, the DNS relay) and the task metadata endpoint, as AWS never filters its VPC resolver or
/// metadata addresses. Then one ACCEPT per rule and address. The table is replaced whole, so an update is atomic.
/// </summary>
public static class FirewallRules
{
    public static string Render(TaskFirewallPolicy policy, IPAddress node, IPAddress metadata)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var text = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n");
        foreach (var chain in (string[])["INPUT", "OUTPUT"])
        {
            var peer = chain == "INPUT" ? "-s" : "-d";
            var device = chain == "INPUT" ? "-i" : "-o";
            text.Append(CultureInfo.InvariantCulture, $"-A {chain} {device} lo -j ACCEPT\n");
            text.Append(CultureInfo.InvariantCulture, $"-A {chain} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
            text.Append(CultureInfo.InvariantCulture, $"-A {chain} {peer} {node}/32 -j ACCEPT\n");
            if (chain == "OUTPUT")
            {
                text.Append(CultureInfo.InvariantCulture, $"-A OUTPUT -d {metadata}/32 -j ACCEPT\n");
            }
            foreach (var rule in chain == "INPUT" ? policy.Ingress : policy.Egress)
            {
                foreach (var cidr in rule.Cidrs)
                {
                    text.Append(CultureInfo.InvariantCulture, $"-A {chain} {peer} {cidr}{Match(rule)} -j ACCEPT\n");
                }
            }
        }
        return text.Append("COMMIT\n").ToString();
    }

    /// <summary>The protocol and port part of a rule's match (empty for all traffic).</summary>
    private static string Match(FirewallRule rule) => rule.Protocol switch
    {
        "-1" or "all" => "",
        "tcp" or "6" => Ports("tcp", rule),
        "udp" or "17" => Ports("udp", rule),
        "icmp" or "1" => rule.FromPort < 0 ? " -p icmp" : rule.ToPort < 0
            ? string.Create(CultureInfo.InvariantCulture, $" -p icmp --icmp-type {rule.FromPort}")
            : string.Create(CultureInfo.InvariantCulture, $" -p icmp --icmp-type {rule.FromPort}/{rule.ToPort}"),
        var number => $" -p {number}",
    };

    private static string Ports(string protocol, FirewallRule rule) =>
        rule.FromPort < 0 || (rule.FromPort == 0 && rule.ToPort == 65535) ? $" -p {protocol}"
        : rule.FromPort == rule.ToPort ? string.Create(CultureInfo.InvariantCulture, $" -p {protocol} --dport {rule.FromPort}")
        : string.Create(CultureInfo.InvariantCulture, $" -p {protocol} --dport {rule.FromPort}:{rule.ToPort}");
}
