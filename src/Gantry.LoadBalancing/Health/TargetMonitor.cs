using System.Net;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Health;

/// <summary>One checked target: its health state, its check timer, and what routers read of it (published atomically).</summary>
internal sealed class TargetMonitor(TargetKey key, IPEndPoint endpoint, DateTimeOffset now)
{
    private volatile TargetStatus _status = TargetStatus.Initial;
    private int _checking;

    public TargetKey Key { get; } = key;

    public IPEndPoint Endpoint { get; set; } = endpoint;

    public TargetHealthState Health { get; } = new(now);

    public ITimer? Timer { get; set; }

    public Task LastCheck { get; set; } = Task.CompletedTask;

    public bool Removed { get; set; }

    /// <summary>A router failed to connect: out of routing until a check passes.</summary>
    public bool Ejected { get; set; }

    public TargetStatus Status => _status;

    public bool TryStartCheck() => Interlocked.Exchange(ref _checking, 1) == 0;

    public void EndCheck() => Volatile.Write(ref _checking, 0);

    /// <summary>Publishes the routing view of <see cref="Health"/> and <see cref="Ejected"/>; called under the checker's lock.</summary>
    public void Publish() => _status = new TargetStatus(
        Health.State == TargetHealthReasons.Unavailable || (Health.IsHealthy && !Ejected),
        Health.IsHealthy && Health.SlowStarts ? Health.HealthySince : null);
}

/// <param name="Routable">Healthy and not ejected, or health checks disabled.</param>
/// <param name="SlowStartFrom">When its slow start began, if it had one.</param>
internal sealed record TargetStatus(bool Routable, DateTimeOffset? SlowStartFrom)
{
    public static readonly TargetStatus Initial = new(false, null);
}
