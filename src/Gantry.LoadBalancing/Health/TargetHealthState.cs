namespace Gantry.LoadBalancing.Health;

/// <summary>
/// One target's health as its checks decide it (REFERENCE-NEXT 4.1): <c>initial</c> until the first pass (healthy) or
/// <c>UnhealthyThresholdCount</c> consecutive failures (unhealthy); then thresholds of consecutive results move it
/// between healthy and unhealthy. Not thread-safe: its monitor serializes the calls.
/// </summary>
public sealed class TargetHealthState(DateTimeOffset since)
{
    private int _passes, _failures;

    public string State { get; private set; } = TargetHealthReasons.Initial;

    public string? Reason { get; private set; } = TargetHealthReasons.InitialHealthChecking;

    public string? Description { get; private set; } = TargetHealthReasons.InitialHealthCheckingDescription;

    public DateTimeOffset Since { get; private set; } = since;

    public DateTimeOffset? HealthySince { get; private set; }

    /// <summary>Whether its last turn to healthy began a slow start (another target of the group was already fully healthy).</summary>
    public bool SlowStarts { get; private set; }

    public bool IsHealthy => State == TargetHealthReasons.Healthy;

    /// <summary>Records one check's outcome; returns whether the state, reason or description changed.</summary>
    /// <param name="othersFullyHealthy">Whether another target of the group is healthy and out of slow start (slow start is skipped otherwise).</param>
    public bool Observe(ProbeOutcome outcome, HealthCheckSettings settings, DateTimeOffset now, bool othersFullyHealthy)
    {
        if (outcome.Passed)
        {
            _failures = 0;
            _passes++;
            if (State == TargetHealthReasons.Healthy || (State != TargetHealthReasons.Initial && _passes < settings.HealthyThreshold))
            {
                return false;
            }
            SlowStarts = othersFullyHealthy;
            HealthySince = now;
            return Become(TargetHealthReasons.Healthy, null, null, now);
        }
        _passes = 0;
        _failures++;
        if (_failures < settings.UnhealthyThreshold && State != TargetHealthReasons.Unhealthy)
        {
            return false;
        }
        return Become(TargetHealthReasons.Unhealthy, outcome.Reason, outcome.Description, now);
    }

    /// <summary>Health checks are disabled: the target is <c>unavailable</c> and routed to as if healthy.</summary>
    public bool Disable(DateTimeOffset now)
    {
        _passes = _failures = 0;
        return Become(TargetHealthReasons.Unavailable, TargetHealthReasons.HealthCheckDisabled, TargetHealthReasons.HealthCheckDisabledDescription, now);
    }

    /// <summary>Health checks were enabled again: back to initial checks.</summary>
    public bool Restart(DateTimeOffset now)
    {
        _passes = _failures = 0;
        return Become(TargetHealthReasons.Initial, TargetHealthReasons.InitialHealthChecking, TargetHealthReasons.InitialHealthCheckingDescription, now);
    }

    private bool Become(string state, string? reason, string? description, DateTimeOffset now)
    {
        if (state == State && reason == Reason && description == Description)
        {
            return false;
        }
        if (state != State)
        {
            Since = now;
        }
        (State, Reason, Description) = (state, reason, description);
        return true;
    }
}
