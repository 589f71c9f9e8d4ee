using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Reconciliation;

namespace Gantry.ControlPlane.Services;

/// <summary>
/// The load balancer side of a round: tasks that reached RUNNING are registered in the service's target groups, tasks
/// that stopped on their own are deregistered at once, the reconciler's stops of registered tasks are deregistered
/// and left running while they drain, and target health is read for the reconciler.
/// </summary>
public sealed partial class ServiceController
{
    /// <summary>Registers new RUNNING tasks and deregisters tasks that stopped on their own (updating
    /// <paramref name="targets"/>); returns the health of every registered task's targets, by task id.</summary>
    private async Task<Dictionary<string, IReadOnlyList<TargetFact>>> RegisterAsync(ServiceRecord record, ClusterSnapshot snapshot, IReadOnlyList<TaskRecord> tasks,
        Dictionary<string, TaskTargets> targets, List<string> events, CancellationToken ct)
    {
        var service = record.Service;
        var health = new Dictionary<string, IReadOnlyList<TargetFact>>(StringComparer.Ordinal);
        if (service.LoadBalancers is not { Count: > 0 } && targets.Count == 0)
        {
            return health;
        }
        var ec2Ids = snapshot.Instances.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!), i => i.Value.Ec2InstanceId, StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            var entry = targets.GetValueOrDefault(task.Id);
            var running = task.Task.LastStatus == TaskStatus.Running && task.Task.DesiredStatus == TaskStatus.Running;
            if (running && entry is null && service.LoadBalancers is { Count: > 0 } balancers)
            {
                if (await serviceTargets.TargetsOfAsync(task, balancers, ec2Ids.GetValueOrDefault(task.InstanceId), ct).ConfigureAwait(false) is not { } found)
                {
                    continue; // its address or host port is not reported yet
                }
                foreach (var target in found)
                {
                    await serviceTargets.RegisterAsync(target, ct).ConfigureAwait(false);
                    events.Add($"(service {service.ServiceName}) registered 1 targets in (target-group {target.TargetGroupArn})");
                }
                targets[task.Id] = entry = new TaskTargets(found);
            }
            if (entry is not { Registered: true })
            {
                continue;
            }
            if (!running)
            {
                // Stopped (or being stopped) by something else than this service: out of the target groups at once.
                foreach (var target in entry.Targets)
                {
                    await serviceTargets.DeregisterAsync(target, ct).ConfigureAwait(false);
                    events.Add($"(service {service.ServiceName}) deregistered 1 targets in (target-group {target.TargetGroupArn})");
                }
                targets[task.Id] = entry with { Targets = [] };
                continue;
            }
            var facts = await serviceTargets.HealthAsync(entry.Targets, ct).ConfigureAwait(false);
            health[task.Id] = facts;
            if (!entry.EverHealthy && facts.All(f => f.State == TargetFact.Healthy))
            {
                targets[task.Id] = entry with { EverHealthy = true };
            }
        }
        return health;
    }

    /// <summary>Deregisters the targets of the tasks the reconciler stops, which keep running until the longest of their
    /// groups' deregistration delays has passed.</summary>
    private async Task DeregisterAsync(string serviceName, IReadOnlyList<TaskStop> drains, Dictionary<string, TaskTargets> targets, List<string> events,
        DateTimeOffset now, CancellationToken ct)
    {
        foreach (var drain in drains)
        {
            var entry = targets[drain.TaskId];
            var delay = TimeSpan.Zero;
            foreach (var target in entry.Targets)
            {
                var draining = await serviceTargets.DeregisterAsync(target, ct).ConfigureAwait(false);
                delay = draining > delay ? draining : delay;
                events.Add($"(service {serviceName}) deregistered 1 targets in (target-group {target.TargetGroupArn})");
            }
            targets[drain.TaskId] = entry with { DrainingUntil = now + delay, StopReason = drain.Reason };
        }
    }

    /// <summary>The task with its registrations: targets and their health, whether it must drain before a stop, and
    /// whether it is draining. A task of a load-balanced service was healthy only if its targets ever were.</summary>
    private static ServiceTask WithTargets(ServiceTask task, Service service, TaskTargets? entry, IReadOnlyList<TargetFact>? health)
    {
        var balanced = service.LoadBalancers is { Count: > 0 } || entry is not null;
        return task with
        {
            Targets = health ?? [],
            Registered = entry?.Registered == true,
            Draining = entry is { DrainingUntil: { } until } ? new TaskDraining(until, entry.StopReason ?? "") : null,
            // Balanced without a container health check, its targets alone say (not the 40 s an unbalanced task needs).
            EverHealthy = balanced ? entry?.EverHealthy == true && (task.EverHealthy || !task.HasHealthCheck) : task.EverHealthy,
        };
    }
}
