using Gantry.Agent.Protocol;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// An awsvpc task's security groups as its node enforces them (pure): every rule of every group the task is in, a
/// source-group rule expanded to the addresses of that group's member tasks (/32), rules with the same protocol and
/// ports merged, sorted, so an unchanged policy compares equal and is not sent again.
/// </summary>
public static class FirewallPlanner
{
    /// <param name="groupIds">The task's security groups.</param>
    /// <param name="groups">Every security group by id (a group missing here contributes nothing: deny).</param>
    /// <param name="members">The addresses of the tasks in each group, by group id.</param>
    public static TaskFirewall Plan(string taskArn, IEnumerable<string> groupIds, IReadOnlyDictionary<string, SecurityGroupRecord> groups,
        IReadOnlyDictionary<string, IReadOnlyCollection<string>> members)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(members);
        var rules = groupIds.Distinct(StringComparer.Ordinal).Select(id => groups.GetValueOrDefault(id)).OfType<SecurityGroupRecord>().SelectMany(g => g.Rules).ToList();
        var firewall = new TaskFirewall { TaskArn = taskArn };
        firewall.Ingress.AddRange(Merge(rules.Where(r => !r.IsEgress), members));
        firewall.Egress.AddRange(Merge(rules.Where(r => r.IsEgress), members));
        return firewall;
    }

    private static IEnumerable<FirewallRule> Merge(IEnumerable<SecurityGroupRuleRecord> rules, IReadOnlyDictionary<string, IReadOnlyCollection<string>> members) =>
        rules.Select(r => (Key: (Protocol(r.IpProtocol), From: r.FromPort ?? -1, To: r.ToPort ?? -1), Cidrs: Peers(r, members)))
            .GroupBy(r => r.Key)
            .Select(g => (g.Key, Cidrs: g.SelectMany(r => r.Cidrs).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()))
            .Where(g => g.Cidrs.Count > 0)
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.From).ThenBy(g => g.Key.To)
            .Select(g =>
            {
                var rule = new FirewallRule { Protocol = g.Key.Item1, FromPort = g.Key.From, ToPort = g.Key.To };
                rule.Cidrs.AddRange(g.Cidrs);
                return rule;
            });

    private static IEnumerable<string> Peers(SecurityGroupRuleRecord rule, IReadOnlyDictionary<string, IReadOnlyCollection<string>> members) =>
        rule.CidrIpv4 is { } cidr ? [cidr]
        : rule.ReferencedGroupId is { } group ? members.GetValueOrDefault(group, []).Select(a => a + "/32")
        : [];

    /// <summary>EC2 accepts names and numbers: tcp, 6; udp, 17; icmp, 1; -1 or all for everything.</summary>
    private static string Protocol(string protocol) => protocol.ToLowerInvariant() switch
    {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "all" => "-1",
        var other => other,
    };
}
