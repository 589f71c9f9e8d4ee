using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Networks;

namespace Gantry.ControlPlane.Tests.Networks;

public sealed class FirewallPlannerTests
{
    private static readonly Dictionary<string, SecurityGroupRecord> Groups = new()
    {
        ["sg-web"] = Group("sg-web",
            Rule(false, "tcp", 8080, 8080, cidr: null, source: "sg-clients"),
            Rule(false, "6", 8080, 8080, cidr: "192.0.2.0/24", source: null),
            Rule(false, "icmp", -1, -1, cidr: "0.0.0.0/0", source: null),
            Rule(true, "-1", null, null, cidr: "0.0.0.0/0", source: null)),
        ["sg-ops"] = Group("sg-ops", Rule(false, "tcp", 22, 22, cidr: "198.51.100.7/32", source: null)),
    };

    [Fact]
    public void Rules_of_every_group_merge_by_protocol_and_ports_with_source_groups_as_member_addresses()
    {
        var members = new Dictionary<string, IReadOnlyCollection<string>> { ["sg-clients"] = ["10.0.0.9", "10.0.0.7"] };

        var firewall = FirewallPlanner.Plan("task", ["sg-web", "sg-ops", "sg-web"], Groups, members);

        Assert.Equal("task", firewall.TaskArn);
        Assert.Equal(
            ["icmp -1..-1 0.0.0.0/0", "tcp 22..22 198.51.100.7/32", "tcp 8080..8080 10.0.0.7/32 10.0.0.9/32 192.0.2.0/24"],
            firewall.Ingress.Select(Text));
        Assert.Equal(["-1 -1..-1 0.0.0.0/0"], firewall.Egress.Select(Text));
    }

    [Fact]
    public void A_source_group_without_members_and_an_unknown_group_allow_nothing_and_plans_compare_equal()
    {
        var firewall = FirewallPlanner.Plan("task", ["sg-unknown"], Groups, new Dictionary<string, IReadOnlyCollection<string>>());
        Assert.Empty(firewall.Ingress);
        Assert.Empty(firewall.Egress);

        var once = FirewallPlanner.Plan("task", ["sg-web"], Groups, new Dictionary<string, IReadOnlyCollection<string>>());
        Assert.DoesNotContain(once.Ingress, r => r.Cidrs.Count == 0);
        Assert.Equal(once, FirewallPlanner.Plan("task", ["sg-web"], Groups, new Dictionary<string, IReadOnlyCollection<string>>()));
    }

    private static string Text(FirewallRule rule) => $"{rule.Protocol} {rule.FromPort}..{rule.ToPort} {string.Join(' ', rule.Cidrs)}";

    private static SecurityGroupRecord Group(string id, params SecurityGroupRuleRecord[] rules) => new(id, id, "test", "vpc-1", rules, []);

    private static SecurityGroupRuleRecord Rule(bool egress, string protocol, int? from, int? to, string? cidr, string? source) =>
        new($"sgr-{Guid.NewGuid():N}", egress, protocol, from, to, cidr, source, null);
}
