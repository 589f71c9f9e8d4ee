using Gantry.ControlPlane.Discovery;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>
/// DiscoverInstances and DiscoverInstancesRevision: a service found by its namespace's name and its own (through their
/// name claims), its instances filtered by QueryParameters (all must match), then by health, then by
/// OptionalParameters when at least one instance still matches them, in instance id order up to MaxResults.
/// </summary>
public sealed class InstanceDiscovery(Documents documents, DiscoveryRegistry registry)
{
    public const int MaxResults = 1000;
    public const int DefaultMaxResults = 100;

    public async Task<DiscoverInstancesResponse> DiscoverAsync(DiscoverInstancesRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = await FindAsync(request.NamespaceName, request.ServiceName, ct).ConfigureAwait(false);
        var limit = DiscoveryInput.Limit(request.MaxResults ?? DefaultMaxResults, MaxResults);
        var health = DiscoveryInput.OneOf(request.HealthStatus ?? HealthStatusFilterValues.HEALTHY, "HealthStatus", HealthStatusFilterValues.All);
        var instances = (await registry.InstancesOfAsync(service.Id, ct).ConfigureAwait(false))
            .Where(i => Matches(i, request.QueryParameters)).ToList();
        if (service.HasCustomHealth)
        {
            instances = ByHealth(instances, health);
        }
        if (request.OptionalParameters is { Count: > 0 } optional && instances.Where(i => Matches(i, optional)).ToList() is { Count: > 0 } narrowed)
        {
            instances = narrowed;
        }
        return new DiscoverInstancesResponse
        {
            Instances = instances.Take(limit).Select(i => new HttpInstanceSummary
            {
                InstanceId = i.InstanceId,
                NamespaceName = service.NamespaceName,
                ServiceName = service.Name,
                HealthStatus = i.HealthStatus,
                Attributes = i.Attributes,
            }).ToList(),
            InstancesRevision = service.InstancesRevision,
        };
    }

    public async Task<DiscoverInstancesRevisionResponse> RevisionAsync(DiscoverInstancesRevisionRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = await FindAsync(request.NamespaceName, request.ServiceName, ct).ConfigureAwait(false);
        return new DiscoverInstancesRevisionResponse { InstancesRevision = service.InstancesRevision };
    }

    private async Task<DiscoveryServiceRecord> FindAsync(string? namespaceName, string? serviceName, CancellationToken ct)
    {
        var nsName = DiscoveryInput.NamespaceName(namespaceName, "NamespaceName", 1024);
        var name = DiscoveryInput.ServiceName(serviceName, "ServiceName");
        var namespaceId = await registry.NamespaceIdByNameAsync(nsName, ct).ConfigureAwait(false) ?? throw DiscoveryErrors.NamespaceNotFound();
        var service = await documents.GetAsync<DiscoveryNameClaim>(DiscoveryKinds.ServiceName, DiscoveryKinds.ServiceNameKey(namespaceId, name), ct).ConfigureAwait(false)
            ?? throw DiscoveryErrors.ServiceNotFound();
        return await registry.FindServiceAsync(service.Value.Id, ct).ConfigureAwait(false) ?? throw DiscoveryErrors.ServiceNotFound();
    }

    private static List<DiscoveryInstanceRecord> ByHealth(List<DiscoveryInstanceRecord> instances, string health) => health switch
    {
        HealthStatusFilterValues.HEALTHY => instances.Where(i => i.HealthStatus == HealthStatusValues.HEALTHY).ToList(),
        HealthStatusFilterValues.UNHEALTHY => instances.Where(i => i.HealthStatus == HealthStatusValues.UNHEALTHY).ToList(),
        HealthStatusFilterValues.HEALTHY_OR_ELSE_ALL when instances.Any(i => i.HealthStatus == HealthStatusValues.HEALTHY) =>
            instances.Where(i => i.HealthStatus == HealthStatusValues.HEALTHY).ToList(),
        _ => instances,
    };

    private static bool Matches(DiscoveryInstanceRecord instance, IReadOnlyDictionary<string, string>? parameters) =>
        parameters is null || parameters.All(p => instance.Attributes.TryGetValue(p.Key, out var value) && value == p.Value);
}
