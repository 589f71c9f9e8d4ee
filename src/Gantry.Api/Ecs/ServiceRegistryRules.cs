using Gantry.ControlPlane.Discovery;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// CreateService's and UpdateService's <c>serviceRegistries</c>, checked as ECS checks them (its wording where known): one
/// registry, an existing Cloud Map service; SRV records need <c>port</c> or <c>containerName</c>+<c>containerPort</c>
/// (not both), other records neither; bridge and host tasks need <c>containerName</c>+<c>containerPort</c> (their address
/// is the node's, so only the host port tells them apart); <c>none</c> has nothing to register.
/// </summary>
public sealed class ServiceRegistryRules(DiscoveryRegistry registry, Documents documents)
{
    /// <summary>The id of a Cloud Map namespace named by name or ARN (NamespaceNotFoundException when there is none).</summary>
    public async Task<string> NamespaceIdAsync(string? nameOrArn, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(nameOrArn))
        {
            throw EcsErrors.InvalidParameter("namespace must be specified.");
        }
        var id = nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn[(nameOrArn.LastIndexOf('/') + 1)..]
            : await registry.NamespaceIdByNameAsync(nameOrArn, ct).ConfigureAwait(false);
        return id is not null && await documents.GetAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, id, ct).ConfigureAwait(false) is not null
            ? id : throw EcsErrors.NamespaceNotFound();
    }

    /// <summary>The namespace of the Cloud Map service a registry ARN names, or null when it is gone.</summary>
    public async Task<string?> NamespaceOfAsync(string registryArn, CancellationToken ct) =>
        (await registry.FindServiceAsync(registryArn, ct).ConfigureAwait(false))?.Service.NamespaceId;

    /// <summary>The search domain the service's tasks get (the registry's DNS namespace), or null; throws InvalidParameterException.</summary>
    public async Task<string?> CheckAsync(IReadOnlyList<ServiceRegistry>? registries, TaskDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (registries is not { Count: > 0 })
        {
            return null;
        }
        if (registries.Count > 1)
        {
            throw EcsErrors.InvalidParameter("serviceRegistries can name at most one service registry.");
        }
        var entry = registries[0];
        if (string.IsNullOrEmpty(entry.RegistryArn))
        {
            throw EcsErrors.InvalidParameter("serviceRegistries[0].registryArn must be specified.");
        }
        var service = await registry.FindServiceAsync(entry.RegistryArn, ct).ConfigureAwait(false)
            ?? throw EcsErrors.InvalidParameter($"The service registry {entry.RegistryArn} does not exist.");
        var mode = definition.NetworkMode ?? NetworkModeValues.bridge;
        if (mode == NetworkModeValues.none)
        {
            throw EcsErrors.InvalidParameter("Service discovery is not supported for tasks with the 'none' network mode.");
        }
        var srv = service.Service.DnsConfig?.DnsRecords?.Any(r => r.Type == RecordTypeValues.SRV) == true;
        var byContainer = entry.ContainerName is not null || entry.ContainerPort is not null;
        if (entry.Port is not null && byContainer)
        {
            throw EcsErrors.InvalidParameter("Specify a value for either 'port' or the 'containerName' and 'containerPort' combination, but not both. Remove one and retry.");
        }
        if (mode != NetworkModeValues.awsvpc && (entry.ContainerName is null || entry.ContainerPort is null))
        {
            throw EcsErrors.InvalidParameter($"When specifying 'host' or 'bridge' for networkMode, values for 'containerName' and 'containerPort' must be specified from the task definition. Registry: {entry.RegistryArn}");
        }
        if (!srv && mode == NetworkModeValues.awsvpc)
        {
            if (entry.Port is not null)
            {
                throw EcsErrors.InvalidParameter("A port was provided but is not required by the specified service registry");
            }
            if (entry.ContainerPort is not null)
            {
                throw EcsErrors.InvalidParameter("The values specified for serviceRegistries do not require a value for 'containerPort'. Remove the value and retry.");
            }
        }
        if (srv && entry.Port is null && !byContainer)
        {
            throw EcsErrors.InvalidParameter($"The service registry {entry.RegistryArn} has SRV records: specify a value for 'port' or for 'containerName' and 'containerPort'.");
        }
        if (byContainer)
        {
            if (entry.ContainerName is null || entry.ContainerPort is null)
            {
                throw EcsErrors.InvalidParameter("Specify values for both 'containerName' and 'containerPort' in serviceRegistries.");
            }
            var container = (definition.ContainerDefinitions ?? []).FirstOrDefault(c => c.Name == entry.ContainerName)
                ?? throw EcsErrors.InvalidParameter($"The container {entry.ContainerName} does not exist in the task definition.");
            if (!(container.PortMappings ?? []).Any(p => p.ContainerPort == entry.ContainerPort))
            {
                throw EcsErrors.InvalidParameter($"The container {entry.ContainerName} does not have a port mapping for containerPort {entry.ContainerPort}.");
            }
        }
        return service.Service.DnsConfig is null ? null : service.NamespaceName;
    }
}
