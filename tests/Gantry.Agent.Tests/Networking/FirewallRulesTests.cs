using System.Net;
using Gantry.Agent.Networking;

namespace Gantry.Agent.Tests.Networking;

public sealed class FirewallRulesTests
{
    private static readonly IPAddress Node = IPAddress.Parse("10.213.0.1"), Metadata = IPAddress.Parse("169.254.170.2");

    [Fact]
    public void Without_rules_only_loopback_replies_the_node_and_the_metadata_endpoint_pass()
    {
        var text = FirewallRules.Render(new TaskFirewallPolicy([], []), Node, Metadata);

        Assert.Equal(
            "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n" +
            "-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -s 10.213.0.1/32 -j ACCEPT\n" +
            "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -d 10.213.0.1/32 -j ACCEPT\n" +
            "-A OUTPUT -d 169.254.170.2/32 -j ACCEPT\nCOMMIT\n", text);
    }

    [Fact]
    public void Each_rule_allows_its_protocol_and_ports_from_each_source_and_to_each_destination()
    {
        var policy = new TaskFirewallPolicy(
            [new FirewallRule("tcp", 8080, 8080, ["10.213.0.7/32", "10.213.0.9/32"]), new FirewallRule("udp", 5000, 5010, ["0.0.0.0/0"]),
             new FirewallRule("icmp", 8, -1, ["192.0.2.0/24"]), new FirewallRule("tcp", 0, 65535, ["198.51.100.1/32"])],
            [new FirewallRule("-1", -1, -1, ["0.0.0.0/0"])]);

        var lines = FirewallRules.Render(policy, Node, Metadata).Split('\n');

        Assert.Contains("-A INPUT -s 10.213.0.7/32 -p tcp --dport 8080 -j ACCEPT", lines);
        Assert.Contains("-A INPUT -s 10.213.0.9/32 -p tcp --dport 8080 -j ACCEPT", lines);
        Assert.Contains("-A INPUT -s 0.0.0.0/0 -p udp --dport 5000:5010 -j ACCEPT", lines);
        Assert.Contains("-A INPUT -s 192.0.2.0/24 -p icmp --icmp-type 8 -j ACCEPT", lines);
        Assert.Contains("-A INPUT -s 198.51.100.1/32 -p tcp -j ACCEPT", lines);
        Assert.Contains("-A OUTPUT -d 0.0.0.0/0 -j ACCEPT", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("-A OUTPUT", StringComparison.Ordinal) && l.Contains("--dport", StringComparison.Ordinal));
    }
}
