using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// The ECS side of <c>serviceRegistries</c>: the Cloud Map instance a RUNNING service task is (id the task id; address its
/// ENI's private IPv4 in awsvpc, its node's address in bridge and host; port the registry's <c>port</c>, or the host port
/// bound to <c>containerName</c>:<c>containerPort</c>), with the attributes ECS registers, written through
/// <see cref="DiscoveryRegistry"/>.
/// </summary>
public sealed class ServiceRegistrations(Documents documents, DiscoveryRegistry registry, string region)
{
    /// <summary>The Cloud Map service id of a registry ARN (<c>arn:aws:servicediscovery:…:service/srv-…</c>).</summary>
    public static string ServiceId(string registryArn) => registryArn[(registryArn.LastIndexOf('/') + 1)..];

    /// <summary>The task's instance attributes, or null while its address or port is not reported yet.</summary>
    /// <param name="ec2InstanceId">The EC2 id of the task's container instance (null on Fargate).</param>
    public async Task<IReadOnlyDictionary<string, string>?> AttributesOfAsync(TaskRecord task, ServiceRegistry serviceRegistry, string? ec2InstanceId,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(serviceRegistry);
        var awsvpc = task.Definition.NetworkMode == NetworkModeValues.awsvpc;
        string? address;
        int? port = serviceRegistry.Port;
        if (awsvpc)
        {
            address = TaskAttachments.PrivateAddress(task.Task);
            port ??= serviceRegistry.ContainerPort;
        }
        else
        {
            address = ec2InstanceId is null ? null
                : (await documents.GetAsync<InstanceAddressRecord>(ElbKinds.InstanceAddress, ec2InstanceId, ct).ConfigureAwait(false))?.Value.Address;
            if (serviceRegistry.ContainerName is { } name && serviceRegistry.ContainerPort is { } containerPort)
            {
                port = (task.Task.Containers ?? []).FirstOrDefault(c => c.Name == name)?.NetworkBindings?
                    .FirstOrDefault(b => b.ContainerPort == containerPort)?.HostPort;
                if (port is null)
                {
                    return null;
                }
            }
        }
        if (address is null)
        {
            return null;
        }
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_INSTANCE_IPV4"] = address,
            ["AVAILABILITY_ZONE"] = task.Task.AvailabilityZone ?? "",
            ["REGION"] = region,
            ["ECS_SERVICE_NAME"] = task.Task.Group is { } group && group.StartsWith("service:", StringComparison.Ordinal) ? group["service:".Length..] : "",
            ["ECS_CLUSTER_NAME"] = task.Cluster,
            ["ECS_TASK_DEFINITION_FAMILY"] = task.Definition.Family ?? "",
        };
        if (port is { } p)
        {
            attributes["AWS_INSTANCE_PORT"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (ec2InstanceId is not null && task.Pool is null)
        {
            attributes["EC2_INSTANCE_ID"] = ec2InstanceId;
        }
        return attributes;
    }

    public Task RegisterAsync(string registryArn, string taskId, IReadOnlyDictionary<string, string> attributes, CancellationToken ct) =>
        registry.RegisterAsync(ServiceId(registryArn), taskId, attributes, ct);

    public Task DeregisterAsync(string registryArn, string taskId, CancellationToken ct) => registry.DeregisterAsync(ServiceId(registryArn), taskId, ct);

    /// <summary>Sets the instance's custom health when its Cloud Map service has a custom health check (otherwise its status is UNKNOWN).</summary>
    public async Task SetHealthAsync(string registryArn, string taskId, bool healthy, CancellationToken ct)
    {
        if (await registry.FindServiceAsync(ServiceId(registryArn), ct).ConfigureAwait(false) is { HasCustomHealth: true })
        {
            await registry.SetHealthAsync(ServiceId(registryArn), taskId, healthy, ct).ConfigureAwait(false);
        }
    }
}
