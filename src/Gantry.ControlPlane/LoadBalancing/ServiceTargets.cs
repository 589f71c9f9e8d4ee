using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;
using Gantry.Domain.Elbv2;
using Gantry.Reconciliation;
using Gantry.Store;
using LoadBalancer = Gantry.Domain.Ecs.LoadBalancer;

namespace Gantry.ControlPlane.LoadBalancing;

/// <summary>A target a service registered for one of its tasks.</summary>
public sealed record ServiceTarget(string TargetGroupArn, string Id, int Port);

/// <summary>
/// A service task's registrations, as the service keeps them: its targets, whether they were ever all healthy (a task
/// that never was counts as a failure for the circuit breaker), and, once deregistered before a stop, until when it
/// drains and the reason it is then stopped with.
/// </summary>
public sealed record TaskTargets(IReadOnlyList<ServiceTarget> Targets, bool EverHealthy = false, DateTimeOffset? DrainingUntil = null, string? StopReason = null)
{
    /// <summary>Registered, not yet deregistered.</summary>
    public bool Registered => Targets.Count > 0 && DrainingUntil is null;
}

/// <summary>
/// The ECS side of load balancing: which targets a service task is (awsvpc: its ENI's private IPv4 and the container
/// port; bridge/host: its instance's EC2 id and the host port bound to the container port), registering and
/// deregistering them through <see cref="TargetRegistry"/>, and their health as the data plane recorded it.
/// </summary>
public sealed class ServiceTargets(Documents documents, TargetRegistry registry)
{
    /// <summary>The task's targets in the service's target groups, or null while they are not known yet (no address or
    /// host port reported). Groups that no longer exist are left out.</summary>
    /// <param name="ec2InstanceId">The EC2 instance id of the task's container instance (bridge/host tasks).</param>
    public async Task<IReadOnlyList<ServiceTarget>?> TargetsOfAsync(TaskRecord task, IReadOnlyList<LoadBalancer> loadBalancers, string? ec2InstanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(loadBalancers);
        var targets = new List<ServiceTarget>();
        foreach (var balancer in loadBalancers)
        {
            if (balancer.TargetGroupArn is not { } arn || balancer.ContainerPort is not { } port
                || await registry.FindAsync(arn, ct).ConfigureAwait(false) is null)
            {
                continue;
            }
            if (task.Definition.NetworkMode == NetworkModeValues.awsvpc)
            {
                var address = TaskAttachments.PrivateAddress(task.Task);
                if (address is null)
                {
                    return null;
                }
                targets.Add(new ServiceTarget(arn, address, port));
            }
            else
            {
                var hostPort = (task.Task.Containers ?? []).FirstOrDefault(c => c.Name == balancer.ContainerName)?.NetworkBindings?
                    .FirstOrDefault(b => b.ContainerPort == port)?.HostPort;
                if (hostPort is null || ec2InstanceId is null)
                {
                    return null;
                }
                targets.Add(new ServiceTarget(arn, ec2InstanceId, hostPort.Value));
            }
        }
        return targets;
    }

    public async Task RegisterAsync(ServiceTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        await registry.RegisterAsync(target.TargetGroupArn, [new TargetRef(target.Id, target.Port)], ct).ConfigureAwait(false);
    }

    /// <summary>Deregisters <paramref name="target"/>; returns how long it drains (zero when its group is gone).</summary>
    public async Task<TimeSpan> DeregisterAsync(ServiceTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = await registry.DeregisterAsync(target.TargetGroupArn, [new TargetRef(target.Id, target.Port)], ct).ConfigureAwait(false);
        return group is null ? TimeSpan.Zero : TargetRegistry.DelayOf(group);
    }

    /// <summary>The targets with their health as the load balancer's checks last recorded it (state null: not checked yet).</summary>
    public async Task<IReadOnlyList<TargetFact>> HealthAsync(IReadOnlyList<ServiceTarget> targets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var facts = new List<TargetFact>(targets.Count);
        foreach (var target in targets)
        {
            var name = target.TargetGroupArn.Split('/') is [_, var groupName, ..] ? groupName : "";
            var health = (await documents.GetAsync<TargetHealthRecord>(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(name, target.Id, target.Port), ct)
                .ConfigureAwait(false))?.Value;
            var current = health?.TargetGroupArn == target.TargetGroupArn ? health : null;
            facts.Add(new TargetFact(target.TargetGroupArn, target.Id, target.Port, current?.State, current?.Description));
        }
        return facts;
    }
}
