using Gantry.Domain.Elbv2;
using Gantry.LoadBalancing.Http.Forwarding;
using Gantry.LoadBalancing.Http.Targets;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Http.Actions;

/// <summary>
/// Compiles a rule's actions: the last one by <c>Order</c> decides (authenticate actions before it are not served
/// here). A forward to a group the snapshot does not have answers 503, as a group without targets does.
/// </summary>
internal sealed class RuleActions(RequestForwarder forwarder, IReadOnlyDictionary<string, TargetGroupBalancer> balancers,
    LoadBalancingSnapshot snapshot, TimeSpan idleTimeout)
{
    public IRuleAction Compile(IReadOnlyList<ElbAction>? actions)
    {
        ElbAction? final = null;
        if (actions is not null)
        {
            for (var i = 0; i < actions.Count; i++)
            {
                var action = actions[i];
                if (action.Type is "forward" or "redirect" or "fixed-response" && (final is null || (action.Order ?? int.MaxValue) >= (final.Order ?? int.MaxValue)))
                {
                    final = action;
                }
            }
        }

        return final switch
        {
            { Type: "fixed-response", FixedResponseConfig: { } fixedResponse } => new FixedResponseAction(fixedResponse),
            { Type: "redirect", RedirectConfig: { } redirect } => new RedirectAction(redirect),
            { Type: "forward" } forward => Forward(forward),
            _ => new ForwardAction(forwarder, [], null),
        };
    }

    private ForwardAction Forward(ElbAction action)
    {
        var tuples = action.ForwardConfig?.TargetGroups is { Count: > 0 } weighted
            ? weighted
            : action.TargetGroupArn is { } single ? [new TargetGroupTuple { TargetGroupArn = single, Weight = 1 }] : [];
        var groups = new List<WeightedGroup>(tuples.Count);
        foreach (var tuple in tuples)
        {
            if (tuple.TargetGroupArn is { } arn && snapshot.TargetGroups.TryGetValue(arn, out var view) && balancers.TryGetValue(arn, out var balancer))
            {
                groups.Add(new WeightedGroup(balancer, RequestForwarder.ConfigFor(view, idleTimeout), tuple.Weight ?? 1, CookieValue(arn)));
            }
        }

        var stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
        TimeSpan? groupStickiness = stickiness is { Enabled: true } ? TimeSpan.FromSeconds(stickiness.DurationSeconds ?? 3600) : null;
        return new ForwardAction(forwarder, [.. groups], groupStickiness);
    }

    /// <summary>"name/0123456789abcdef" from "arn:…:targetgroup/name/0123456789abcdef".</summary>
    private static string CookieValue(string arn)
    {
        var marker = arn.IndexOf(":targetgroup/", StringComparison.Ordinal);
        return marker < 0 ? arn : arn[(marker + ":targetgroup/".Length)..];
    }
}
