namespace Gantry.Reconciliation;

/// <summary>The ECS string values the reconcile step reads and writes.</summary>
internal static class EcsValues
{
    public const string Replica = "REPLICA";
    public const string Daemon = "DAEMON";

    public const string Primary = "PRIMARY";
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";

    public const string InProgress = "IN_PROGRESS";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";

    public const string Running = "RUNNING";
    public const string Stopped = "STOPPED";

    public const string Healthy = "HEALTHY";
    public const string Unhealthy = "UNHEALTHY";

    /// <summary>How long a task without a container health check must have been <c>RUNNING</c> before it counts as
    /// healthy (ECS <c>DeploymentConfiguration.minimumHealthyPercent</c>: "the service scheduler will wait for 40
    /// seconds after a task reaches a RUNNING state").</summary>
    public static readonly TimeSpan NoHealthCheckSettleTime = TimeSpan.FromSeconds(40);
}
