using Gantry.LoadBalancing.Http.Forwarding;
using Gantry.LoadBalancing.Http.Targets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gantry.LoadBalancing.Http.Actions;

/// <summary>
/// <c>forward</c>: to one target group, or across several in proportion to their weights (a precomputed smooth
/// schedule, so the ratio is exact over each cycle); with target group stickiness a client's <c>AWSALBTG</c> cookie
/// keeps it on the group it was first sent to for the configured duration.
/// </summary>
internal sealed class ForwardAction : IRuleAction
{
    private readonly RequestForwarder _forwarder;
    private readonly WeightedGroup[] _groups;
    private readonly int[] _schedule;
    private readonly TimeSpan? _groupStickiness;
    private int _next = -1;

    public ForwardAction(RequestForwarder forwarder, WeightedGroup[] groups, TimeSpan? groupStickiness)
    {
        _forwarder = forwarder;
        _groups = groups;
        _groupStickiness = groups.Length > 1 ? groupStickiness : null;
        _schedule = Schedule(groups);
    }

    public Task ExecuteAsync(HttpContext context)
    {
        if (_schedule.Length == 0)
        {
            return ElbErrorPages.WriteAsync(context, StatusCodes.Status503ServiceUnavailable);
        }

        if (_groups.Length == 1)
        {
            return _forwarder.ForwardAsync(context, _groups[0].Balancer, _groups[0].Config, null);
        }

        var group = Pinned(context) ?? _groups[_schedule[(int)((uint)Interlocked.Increment(ref _next) % (uint)_schedule.Length)]];
        GroupCookie? cookie = _groupStickiness is { } duration ? new GroupCookie(group.CookieValue, duration) : null;
        return _forwarder.ForwardAsync(context, group.Balancer, group.Config, cookie);
    }

    private WeightedGroup? Pinned(HttpContext context)
    {
        if (_groupStickiness is null || context.Request.Cookies[StickyCookieTransformer.TargetGroupCookie] is not { } pinned)
        {
            return null;
        }

        for (var i = 0; i < _groups.Length; i++)
        {
            if (_groups[i].Weight > 0 && string.Equals(_groups[i].CookieValue, pinned, StringComparison.Ordinal))
            {
                return _groups[i];
            }
        }

        return null;
    }

    /// <summary>Smooth weighted round robin over the groups, unrolled into one cycle of (sum of weights) picks.</summary>
    private static int[] Schedule(WeightedGroup[] groups)
    {
        var total = 0;
        foreach (var group in groups)
        {
            total += Math.Max(group.Weight, 0);
        }

        var schedule = new int[total];
        var current = new int[groups.Length];
        for (var n = 0; n < total; n++)
        {
            var best = -1;
            for (var i = 0; i < groups.Length; i++)
            {
                if (groups[i].Weight <= 0)
                {
                    continue;
                }

                current[i] += groups[i].Weight;
                if (best < 0 || current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            schedule[n] = best;
        }

        return schedule;
    }
}

/// <summary>One target group of a forward action.</summary>
/// <param name="CookieValue">How <c>AWSALBTG</c> names the group (its name and id, the tail of its ARN).</param>
internal sealed record WeightedGroup(TargetGroupBalancer Balancer, ForwarderRequestConfig Config, int Weight, string CookieValue);
