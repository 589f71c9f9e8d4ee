using System.Globalization;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// A target's state as DescribeTargetHealth reports it (REFERENCE-NEXT 4.1), from what the control plane knows
/// (registration, draining, whether a load balancer forwards to the group) and what the data plane's health checks
/// last decided (the <see cref="TargetHealthRecord"/>, written on every change of state). Earlier terms win.
/// </summary>
internal static class TargetHealthStates
{
    public static readonly TargetHealth NotRegistered = new() { State = "unused", Reason = "Target.NotRegistered", Description = "Target is not registered to the target group" };
    public static readonly TargetHealth Draining = new() { State = "draining", Reason = "Target.DeregistrationInProgress", Description = "Target deregistration is in progress" };
    public static readonly TargetHealth NotInUse = new() { State = "unused", Reason = "Target.NotInUse", Description = "Target group is not configured to receive traffic from the load balancer" };
    public static readonly TargetHealth Registering = new() { State = "initial", Reason = "Elb.RegistrationInProgress", Description = "Target registration is in progress" };

    /// <param name="inUse">Whether a load balancer's listener or rule forwards to the target's group.</param>
    /// <param name="checkedHealth">The health checks' last decision for this target, if any since it was registered.</param>
    public static TargetHealth Of(RegisteredTarget target, bool inUse, TargetHealthRecord? checkedHealth)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.DrainingSince is not null ? Draining
            : !inUse ? NotInUse
            : checkedHealth is null ? Registering
            : new TargetHealth { State = checkedHealth.State, Reason = checkedHealth.Reason, Description = checkedHealth.Description };
    }

    /// <summary>The port health checks reach a target on: the group's health check port, or the target's own for <c>traffic-port</c>.</summary>
    public static string HealthCheckPort(TargetGroup group, RegisteredTarget target)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(target);
        return group.HealthCheckPort is null or TargetGroupSettings.TrafficPort ? target.Port.ToString(CultureInfo.InvariantCulture) : group.HealthCheckPort;
    }
}
