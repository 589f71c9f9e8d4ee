using System.Globalization;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Health;

/// <summary>The checked targets of one target group and whether any of them is routable (else the group fails open).</summary>
internal sealed class GroupMonitor(TargetGroupView view)
{
    private volatile IReadOnlyDictionary<TargetKey, TargetMonitor> _targets = new Dictionary<TargetKey, TargetMonitor>();
    private volatile bool _anyRoutable;

    public TargetGroupView View { get; set; } = view;

    public HealthCheckSettings Settings { get; set; } = HealthCheckSettings.Of(view.Record.TargetGroup);

    public IReadOnlyDictionary<TargetKey, TargetMonitor> Targets
    {
        get => _targets;
        set => _targets = value;
    }

    public bool AnyRoutable => _anyRoutable;

    public TimeSpan SlowStart => TimeSpan.FromSeconds(
        int.TryParse(View.Attribute("slow_start.duration_seconds", "0"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0);

    /// <summary>Re-publishes every target's routing view and the group's; called under the checker's lock.</summary>
    public void Publish()
    {
        var any = false;
        foreach (var target in _targets.Values)
        {
            target.Publish();
            any |= target.Status.Routable;
        }
        _anyRoutable = any;
    }

    /// <summary>Whether a target other than <paramref name="except"/> is healthy and out of slow start at <paramref name="now"/>.</summary>
    public bool OthersFullyHealthy(TargetMonitor except, DateTimeOffset now) => _targets.Values.Any(t =>
        t != except && t.Health.IsHealthy && (!t.Health.SlowStarts || t.Health.HealthySince + SlowStart <= now));
}
