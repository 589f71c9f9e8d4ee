namespace Gantry.Reconciliation;

/// <summary>A target the service registered for a task in one of its target groups, with its health as the load
/// balancer last decided it.</summary>
/// <param name="TargetGroupArn">The target group.</param>
/// <param name="TargetId">The task's IPv4 address (<c>ip</c> targets) or its instance's EC2 instance id (<c>instance</c>).</param>
/// <param name="Port">The target's port: the container port (<c>ip</c>) or the host port (<c>instance</c>).</param>
/// <param name="State">The ELB target health state (<c>initial</c>, <c>healthy</c>, <c>unhealthy</c>, ...); null while
/// the load balancer has not checked it yet.</param>
/// <param name="Description">The target health description (the reason in ECS's unhealthy event).</param>
public sealed record TargetFact(string TargetGroupArn, string TargetId, int Port, string? State, string? Description)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
}

/// <summary>A task whose targets the service deregistered before stopping it: it keeps running (ECS's
/// <c>DEACTIVATING</c>) until <paramref name="Until"/>, when the deregistration delay has passed, and is then stopped
/// with <paramref name="Reason"/>.</summary>
public sealed record TaskDraining(DateTimeOffset Until, string Reason);
