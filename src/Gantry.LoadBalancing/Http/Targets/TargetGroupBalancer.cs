using System.Globalization;
using Gantry.LoadBalancing.State;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Targets;

/// <summary>
/// Chooses targets inside one target group: only targets that are not draining, have an address and that the health
/// checks call routable; sticky clients stay on their target while it is; otherwise smooth weighted round robin over
/// the slow-start weights, or the fewest requests in flight (<c>least_outstanding_requests</c>). One per group ARN,
/// kept across snapshots so in-flight counts and round robin positions carry over.
/// </summary>
internal sealed class TargetGroupBalancer(ITargetHealth health)
{
    private readonly Lock _gate = new();
    private volatile GroupState _state = GroupState.Empty;
    private int _rotation;

    public TargetGroupView? View => _state.View;

    public void Update(TargetGroupView view)
    {
        var previous = _state.Counters;
        var counters = new Dictionary<TargetKey, TargetCounters>();
        var candidates = new List<TargetEntry>(view.Targets.Count);
        foreach (var target in view.Targets)
        {
            var key = target.Key;
            var counter = previous.TryGetValue(key, out var kept) ? kept : new TargetCounters();
            counters[key] = counter;
            if (target.DrainingSince is null && target.Endpoint is { } endpoint)
            {
                var scheme = view.Record.TargetGroup.Protocol == "HTTPS" ? "https" : "http";
                var prefix = string.Create(CultureInfo.InvariantCulture, $"{scheme}://{Authority(endpoint)}/");
                candidates.Add(new TargetEntry(target, prefix, key.ToString(), counter));
            }
        }

        var leastOutstanding = view.Attribute("load_balancing.algorithm.type", "round_robin") == "least_outstanding_requests";
        _state = new GroupState(view, [.. candidates], counters, leastOutstanding, GroupStickiness.Of(view));
    }

    /// <summary>The target for this request, or none when no target may take it (the caller answers 503).</summary>
    public TargetChoice Choose(HttpContext context)
    {
        var state = _state;
        if (state.View is null || state.Candidates.Length == 0)
        {
            return default;
        }

        if (state.Stickiness is { } stickiness && context.Request.Cookies[stickiness.CookieName] is { } pinned)
        {
            var sticky = Find(state, pinned);
            if (sticky is not null && health.RouteOf(state.View, sticky.View).Routable)
            {
                return new TargetChoice(sticky, stickiness);
            }
        }

        var chosen = state.LeastOutstanding ? LeastOutstanding(state) : RoundRobin(state);
        return new TargetChoice(chosen, chosen is null ? null : state.Stickiness);
    }

    private static TargetEntry? Find(GroupState state, string cookieValue)
    {
        var candidates = state.Candidates;
        for (var i = 0; i < candidates.Length; i++)
        {
            if (string.Equals(candidates[i].CookieValue, cookieValue, StringComparison.Ordinal))
            {
                return candidates[i];
            }
        }

        return null;
    }

    private TargetEntry? RoundRobin(GroupState state)
    {
        var candidates = state.Candidates;
        Span<double> weights = candidates.Length <= 64 ? stackalloc double[candidates.Length] : new double[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            var route = health.RouteOf(state.View!, candidates[i].View);
            weights[i] = route.Routable ? Math.Max(route.Weight, 0.001) : 0;
        }

        lock (_gate)
        {
            TargetEntry? best = null;
            double total = 0;
            for (var i = 0; i < candidates.Length; i++)
            {
                if (weights[i] == 0)
                {
                    continue;
                }

                var counters = candidates[i].Counters;
                counters.CurrentWeight += weights[i];
                total += weights[i];
                if (best is null || counters.CurrentWeight > best.Counters.CurrentWeight)
                {
                    best = candidates[i];
                }
            }

            if (best is not null)
            {
                best.Counters.CurrentWeight -= total;
            }

            return best;
        }
    }

    private TargetEntry? LeastOutstanding(GroupState state)
    {
        var candidates = state.Candidates;
        var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)candidates.Length);
        TargetEntry? best = null;
        var fewest = int.MaxValue;
        for (var n = 0; n < candidates.Length; n++)
        {
            var candidate = candidates[(start + n) % candidates.Length];
            var inFlight = candidate.Counters.InFlight;
            if (inFlight < fewest && health.RouteOf(state.View!, candidate.View).Routable)
            {
                best = candidate;
                fewest = inFlight;
            }
        }

        return best;
    }

    private static string Authority(System.Net.IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{endpoint.Address}]:{endpoint.Port}")
            : endpoint.ToString();

    private sealed record GroupState(TargetGroupView? View, TargetEntry[] Candidates, Dictionary<TargetKey, TargetCounters> Counters,
        bool LeastOutstanding, GroupStickiness? Stickiness)
    {
        public static readonly GroupState Empty = new(null, [], [], false, null);
    }
}
