namespace Gantry.LoadBalancing.Health;

/// <summary>The target health states and reasons the data plane's checks write (REFERENCE-NEXT 4.1).</summary>
public static class TargetHealthReasons
{
    public const string Initial = "initial", Healthy = "healthy", Unhealthy = "unhealthy", Unavailable = "unavailable";

    public const string InitialHealthChecking = "Elb.InitialHealthChecking";
    public const string ResponseCodeMismatch = "Target.ResponseCodeMismatch";
    public const string Timeout = "Target.Timeout";
    public const string FailedHealthChecks = "Target.FailedHealthChecks";
    public const string HealthCheckDisabled = "Target.HealthCheckDisabled";

    public const string InitialHealthCheckingDescription = "Initial health checks in progress";
    public const string HealthCheckDisabledDescription = "Health checks are disabled";
}
