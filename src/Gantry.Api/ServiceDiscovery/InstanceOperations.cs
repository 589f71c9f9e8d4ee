using Gantry.ControlPlane.Discovery;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>
/// RegisterInstance, DeregisterInstance, GetInstance, ListInstances, GetInstancesHealthStatus and
/// UpdateInstanceCustomHealthStatus: every write goes through <see cref="DiscoveryRegistry"/>, as ECS's do.
/// </summary>
public sealed class InstanceOperations(Documents documents, DiscoveryRegistry registry)
{
    public async Task<RegisterInstanceResponse> RegisterAsync(RegisterInstanceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var serviceId = DiscoveryInput.Required(request.ServiceId, "ServiceId");
        var instanceId = DiscoveryInput.InstanceId(request.InstanceId, "InstanceId");
        var attributes = DiscoveryInput.Required(request.Attributes, "Attributes");
        DiscoveryInput.AtMost(request.CreatorRequestId, "CreatorRequestId", 64);
        var operationId = await registry.RegisterAsync(serviceId, instanceId, attributes, request.CreatorRequestId, recordOperation: true, ct).ConfigureAwait(false);
        return new RegisterInstanceResponse { OperationId = operationId };
    }

    public async Task<DeregisterInstanceResponse> DeregisterAsync(DeregisterInstanceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var instanceId = DiscoveryInput.Id(request.InstanceId, "InstanceId");
        var (found, operationId) = await registry.DeregisterAsync(DiscoveryInput.Required(request.ServiceId, "ServiceId"), instanceId, recordOperation: true, ct)
            .ConfigureAwait(false);
        return found ? new DeregisterInstanceResponse { OperationId = operationId } : throw DiscoveryErrors.InstanceNotFound(instanceId);
    }

    public async Task<GetInstanceResponse> GetAsync(GetInstanceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = await ServiceAsync(request.ServiceId, ct).ConfigureAwait(false);
        var instanceId = DiscoveryInput.Id(request.InstanceId, "InstanceId");
        var found = await documents.GetAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, DiscoveryKinds.InstanceKey(service.Id, instanceId), ct).ConfigureAwait(false)
            ?? throw DiscoveryErrors.InstanceNotFound(instanceId);
        return new GetInstanceResponse
        {
            Instance = new DiscoveryInstance { Id = found.Value.InstanceId, CreatorRequestId = found.Value.CreatorRequestId, Attributes = found.Value.Attributes },
        };
    }

    public async Task<ListInstancesResponse> ListAsync(ListInstancesRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = await ServiceAsync(request.ServiceId, ct).ConfigureAwait(false);
        var (items, next) = await documents.PageAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, service.Id + "/", DiscoveryInput.After(request.NextToken),
            DiscoveryInput.Limit(request.MaxResults), descending: false, _ => true, ct).ConfigureAwait(false);
        return new ListInstancesResponse
        {
            Instances = items.Select(i => new InstanceSummary { Id = i.InstanceId, Attributes = i.Attributes }).ToList(),
            NextToken = DiscoveryInput.Next(next),
        };
    }

    /// <summary>The health of the instances named (InstanceNotFound for one not registered), or of all of them a page at a time.</summary>
    public async Task<GetInstancesHealthStatusResponse> HealthStatusAsync(GetInstancesHealthStatusRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = await ServiceAsync(request.ServiceId, ct).ConfigureAwait(false);
        var limit = DiscoveryInput.Limit(request.MaxResults);
        if (request.Instances is { } named)
        {
            if (named.Count == 0)
            {
                throw DiscoveryErrors.InvalidInput("Instances must name at least one instance.");
            }
            var status = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in named.Distinct(StringComparer.Ordinal))
            {
                var found = await documents.GetAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, DiscoveryKinds.InstanceKey(service.Id, id), ct).ConfigureAwait(false)
                    ?? throw DiscoveryErrors.InstanceNotFound(id);
                status[id] = found.Value.HealthStatus;
            }
            return new GetInstancesHealthStatusResponse { Status = status };
        }
        var (items, next) = await documents.PageAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, service.Id + "/", DiscoveryInput.After(request.NextToken),
            limit, descending: false, _ => true, ct).ConfigureAwait(false);
        return new GetInstancesHealthStatusResponse
        {
            Status = items.ToDictionary(i => i.InstanceId, i => i.HealthStatus, StringComparer.Ordinal),
            NextToken = DiscoveryInput.Next(next),
        };
    }

    public async Task UpdateCustomHealthAsync(UpdateInstanceCustomHealthStatusRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var serviceId = DiscoveryInput.Id(request.ServiceId, "ServiceId");
        var instanceId = DiscoveryInput.Id(request.InstanceId, "InstanceId");
        var status = DiscoveryInput.OneOf(request.Status, "Status", CustomHealthStatusValues.All);
        await registry.SetHealthAsync(serviceId, instanceId, status == CustomHealthStatusValues.HEALTHY, ct).ConfigureAwait(false);
    }

    private async Task<DiscoveryServiceRecord> ServiceAsync(string? serviceId, CancellationToken ct) =>
        await registry.FindServiceAsync(DiscoveryInput.Id(serviceId, "ServiceId"), ct).ConfigureAwait(false) ?? throw DiscoveryErrors.ServiceNotFound();
}
