using System.Globalization;

namespace Gantry.Reconciliation;

/// <summary>
/// Service event messages in ECS's wording (<c>DescribeServices</c> <c>services[].events[].message</c>). The formats
/// are the ones ECS prints, as they appear in captured <c>describe-services</c> output and the ECS CLI's event
/// stream; the AWS documentation names the corresponding EventBridge service actions (<c>SERVICE_STEADY_STATE</c>,
/// <c>TASKS_STOPPED</c>, <c>SERVICE_DEPLOYMENT_COMPLETED</c>, <c>SERVICE_DEPLOYMENT_FAILED</c>; "Amazon ECS service
/// action events" and "Amazon ECS service deployment state change events", ECS developer guide) and the re:Post
/// article "Troubleshoot ECS deployment circuit breaker failures" quotes the health-check message.
/// </summary>
public static class ServiceEvents
{
    /// <summary><c>(service web) has stopped 2 running tasks: (task a1) (task b2).</c></summary>
    public static string Stopped(string service, IReadOnlyCollection<string> taskIds) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"(service {service}) has stopped {taskIds.Count} running tasks: {string.Join(' ', taskIds.Select(id => $"(task {id})"))}.");

    /// <summary><c>(service web) (task a1) failed container health checks.</c></summary>
    public static string FailedContainerHealthChecks(string service, string taskId) =>
        $"(service {service}) (task {taskId}) failed container health checks.";

    /// <summary><c>(service web) (task a1) (port 8080) is unhealthy in (target-group arn) due to (reason Health checks
    /// failed with these codes: [503]).</c>; an <c>instance</c> target names the instance: <c>(instance i-1) (port 32768)</c>.</summary>
    public static string UnhealthyInTargetGroup(string service, string taskId, TargetFact target)
    {
        string subject = System.Net.IPAddress.TryParse(target.TargetId, out _) ? $"(task {taskId})" : $"(instance {target.TargetId})";
        return string.Create(CultureInfo.InvariantCulture,
            $"(service {service}) {subject} (port {target.Port}) is unhealthy in (target-group {target.TargetGroupArn}) due to (reason {target.Description}).");
    }

    /// <summary><c>(service web) has begun draining connections on 1 tasks.</c></summary>
    public static string BegunDraining(string service, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"(service {service}) has begun draining connections on {count} tasks.");

    /// <summary><c>(service web) has reached a steady state.</c> ECS repeats it periodically.</summary>
    public static string SteadyState(string service) => $"(service {service}) has reached a steady state.";

    /// <summary><c>(service web) (deployment ecs-svc/123) deployment completed.</c></summary>
    public static string DeploymentCompleted(string service, string deploymentId) =>
        $"(service {service}) (deployment {deploymentId}) deployment completed.";

    /// <summary><c>(service web) (deployment ecs-svc/123) deployment failed: tasks failed to start.</c></summary>
    public static string DeploymentFailed(string service, string deploymentId) =>
        $"(service {service}) (deployment {deploymentId}) deployment failed: tasks failed to start.";

    /// <summary><c>(service web) rolling back to deployment ecs-svc/122.</c>, naming the <c>COMPLETED</c> deployment
    /// whose task definition the service goes back to.</summary>
    public static string RollingBack(string service, string deploymentId) =>
        $"(service {service}) rolling back to deployment {deploymentId}.";

    /// <summary>ECS's <c>rolloutStateReason</c> of a deployment that reached a steady state.</summary>
    public static string CompletedReason(string deploymentId) => $"ECS deployment {deploymentId} completed.";

    /// <summary>ECS's <c>rolloutStateReason</c> of a deployment the circuit breaker failed.</summary>
    public const string CircuitBreakerReason = "ECS deployment circuit breaker: tasks failed to start.";
}
