using System.Globalization;

namespace Gantry.Reconciliation;

/// <summary>The <c>stoppedReason</c> of the tasks the reconcile step stops.</summary>
internal static class StopReasons
{
    /// <summary>The task's container instance is gone or has been disconnected longer than the grace period.</summary>
    public const string ContainerInstanceLost = "Task stopped because its container instance was lost";

    /// <summary>ECS's stopped reason for a task its container health checks failed.</summary>
    public const string FailedContainerHealthChecks = "Task failed container health checks";

    /// <summary>ECS's stopped reason for a task whose target failed the load balancer's health checks.</summary>
    public static string FailedElbHealthChecks(string targetGroupArn) => $"Task failed ELB health checks in (target-group {targetGroupArn})";

    /// <summary>ECS's stopped reason for a task the service scheduler stops (rolling update, scale-in, draining,
    /// <c>DAEMON</c> placement), naming the deployment the task belongs to, e.g.
    /// <c>Scaling activity initiated by (deployment ecs-svc/8646900195280463695)</c> as DescribeTasks reports it
    /// (<c>stopCode</c> <c>ServiceSchedulerInitiated</c>).</summary>
    public static string ScalingActivity(string deploymentId) =>
        string.Create(CultureInfo.InvariantCulture, $"Scaling activity initiated by (deployment {deploymentId})");
}
