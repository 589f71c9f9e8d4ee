using Gantry.ControlPlane.Discovery;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Services;

/// <summary>
/// The Cloud Map side of a round (<c>serviceRegistries</c>): a task that reached RUNNING is registered as an instance of
/// the registry's service, its custom health follows the task's health status, and it is deregistered before the
/// service stops it, or at once when it stopped on its own.
/// </summary>
public sealed partial class ServiceController
{
    /// <summary>Registers service tasks in Cloud Map; null: services' registries are not followed (tests without Cloud Map).</summary>
    public ServiceRegistrations? Registrations { get; init; }

    /// <summary>Registers new RUNNING tasks, updates their health and deregisters tasks no longer running (updating
    /// <paramref name="registered"/>, task id to the health last set); returns the registry they are in. Registrations
    /// in a registry the service no longer names (UpdateService) are removed first.</summary>
    private async Task<string?> DiscoverAsync(ServiceRecord record, ClusterSnapshot snapshot, IReadOnlyList<TaskRecord> tasks, Dictionary<string, bool> registered,
        CancellationToken ct)
    {
        if (Registrations is not { } registrations)
        {
            return record.RegisteredIn;
        }
        var current = record.Service.ServiceRegistries is [{ RegistryArn: { } named } first, ..] ? (Arn: named, Registry: first) : default;
        if (record.RegisteredIn is { } previous && previous != current.Arn)
        {
            foreach (var id in registered.Keys)
            {
                await registrations.DeregisterAsync(previous, id, ct).ConfigureAwait(false);
            }
            registered.Clear();
        }
        if (current.Arn is not { } arn)
        {
            return null;
        }
        var registry = current.Registry;
        var ec2Ids = snapshot.Instances.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!), i => i.Value.Ec2InstanceId, StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            var running = task.Task.LastStatus == TaskStatus.Running && task.Task.DesiredStatus == TaskStatus.Running;
            var known = registered.TryGetValue(task.Id, out var wasHealthy);
            var healthy = task.Task.HealthStatus != "UNHEALTHY";
            if (!running)
            {
                if (known)
                {
                    await registrations.DeregisterAsync(arn, task.Id, ct).ConfigureAwait(false);
                    registered.Remove(task.Id);
                }
                continue;
            }
            if (!known)
            {
                if (await registrations.AttributesOfAsync(task, registry, task.Pool is null ? ec2Ids.GetValueOrDefault(task.InstanceId) : null, ct).ConfigureAwait(false)
                    is not { } attributes)
                {
                    continue; // its address or host port is not reported yet
                }
                await registrations.RegisterAsync(arn, task.Id, attributes, ct).ConfigureAwait(false);
                wasHealthy = true;
            }
            if (!known || wasHealthy != healthy)
            {
                await registrations.SetHealthAsync(arn, task.Id, healthy, ct).ConfigureAwait(false);
            }
            registered[task.Id] = healthy;
        }
        var live = tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in registered.Keys.Where(id => !live.Contains(id)).ToList())
        {
            await registrations.DeregisterAsync(arn, gone, ct).ConfigureAwait(false);
            registered.Remove(gone);
        }
        return arn;
    }

    /// <summary>Takes the tasks the service is about to stop out of Cloud Map first, so nobody resolves them meanwhile.</summary>
    private async Task UndiscoverAsync(ServiceRecord record, IEnumerable<string> taskIds, Dictionary<string, bool> registered, CancellationToken ct)
    {
        if (Registrations is not { } registrations || record.RegisteredIn is not { } arn)
        {
            return;
        }
        foreach (var id in taskIds.Where(registered.ContainsKey).ToList())
        {
            await registrations.DeregisterAsync(arn, id, ct).ConfigureAwait(false);
            registered.Remove(id);
        }
    }
}
