using System.Net;

namespace Gantry.LoadBalancing.Health;

/// <summary>Runs one health check of a target with a group's settings.</summary>
public interface IHealthProbe
{
    Task<ProbeOutcome> CheckAsync(HealthCheckSettings settings, IPEndPoint target, CancellationToken ct);
}
