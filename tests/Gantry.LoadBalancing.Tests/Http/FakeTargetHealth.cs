using System.Collections.Concurrent;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Tests.Http;

/// <summary>Every target routable at full weight unless a test says otherwise; records reported failures.</summary>
internal sealed class FakeTargetHealth : ITargetHealth
{
    private readonly ConcurrentDictionary<TargetKey, TargetRoute> _routes = new();

    public ConcurrentQueue<TargetKey> Failures { get; } = new();

    public void Set(TargetKey target, TargetRoute route) => _routes[target] = route;

    public TargetRoute RouteOf(TargetGroupView group, TargetView target) => _routes.GetValueOrDefault(target.Key, TargetRoute.Full);

    public void ReportFailure(TargetGroupView group, TargetView target) => Failures.Enqueue(target.Key);
}
