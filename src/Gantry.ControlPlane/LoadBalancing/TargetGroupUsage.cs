using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.ControlPlane.LoadBalancing;

/// <summary>
/// Which load balancers send traffic to which target groups: a target group is in use by a load balancer when one of
/// its listeners' default actions or rules forwards to it. ELB derives a target group's <c>LoadBalancerArns</c> from
/// this (a target group belongs to at most one load balancer) and refuses to delete a group in use.
/// </summary>
public sealed class TargetGroupUsage(Documents documents)
{
    /// <summary>Every target group ARN forwarded to, with the load balancers whose listeners forward to it.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> ReadAsync(CancellationToken ct)
    {
        var listeners = await documents.ListAllAsync<ListenerRecord>(ElbKinds.Listener, null, ct).ConfigureAwait(false);
        var rules = await documents.ListAllAsync<RuleRecord>(ElbKinds.Rule, null, ct).ConfigureAwait(false);
        var balancerOf = listeners.ToDictionary(l => l.Value.Listener.ListenerArn!, l => l.Value.Listener.LoadBalancerArn!, StringComparer.Ordinal);
        var usage = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var listener in listeners)
        {
            Add(usage, listener.Value.Listener.LoadBalancerArn!, listener.Value.Listener.DefaultActions);
        }
        foreach (var rule in rules)
        {
            if (balancerOf.TryGetValue(rule.Value.ListenerArn, out var balancer))
            {
                Add(usage, balancer, rule.Value.Rule.Actions);
            }
        }
        return usage.ToDictionary(u => u.Key, u => (IReadOnlySet<string>)u.Value, StringComparer.Ordinal);
    }

    /// <summary>The target groups an action list forwards to (a plain forward and every group of a weighted one).</summary>
    public static IEnumerable<string> ForwardedGroups(IEnumerable<ElbAction>? actions) =>
        (actions ?? []).Where(a => a.Type == "forward")
            .SelectMany(a => (a.ForwardConfig?.TargetGroups?.Select(t => t.TargetGroupArn) ?? []).Append(a.TargetGroupArn))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);

    private static void Add(Dictionary<string, HashSet<string>> usage, string balancer, IEnumerable<ElbAction>? actions)
    {
        foreach (var group in ForwardedGroups(actions))
        {
            if (!usage.TryGetValue(group, out var balancers))
            {
                usage[group] = balancers = new HashSet<string>(StringComparer.Ordinal);
            }
            balancers.Add(balancer);
        }
    }
}
