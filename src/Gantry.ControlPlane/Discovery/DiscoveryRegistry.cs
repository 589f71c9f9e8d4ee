using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// Cloud Map's instances, written one way for RegisterInstance/DeregisterInstance/UpdateInstanceCustomHealthStatus and
/// for the ECS services that register their tasks. A registration commits the instance together with its service
/// (InstanceCount, InstancesRevision; the service's version makes registrations of one service serial) and, from the
/// API, the operation it answers. The DNS server reads everything it serves through <see cref="ReadSnapshotAsync"/>.
/// </summary>
public sealed class DiscoveryRegistry(Documents documents, DiscoveryArns arns, TimeProvider time)
{
    private const int MaxAttempts = 8;

    /// <summary>A service by id or ARN, or null when there is none.</summary>
    public async Task<DiscoveryServiceRecord?> FindServiceAsync(string serviceArnOrId, CancellationToken ct) =>
        (await GetServiceAsync(serviceArnOrId, ct).ConfigureAwait(false))?.Value;

    /// <summary>
    /// The id of the namespace a name claims, or null. An HTTP namespace is claimed under its name as given; a private DNS one
    /// lowercased, without a trailing dot.
    /// </summary>
    public async Task<string?> NamespaceIdByNameAsync(string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        var claim = await documents.GetAsync<DiscoveryNameClaim>(DiscoveryKinds.NamespaceName, name, ct).ConfigureAwait(false)
            ?? await documents.GetAsync<DiscoveryNameClaim>(DiscoveryKinds.NamespaceName, name.TrimEnd('.').ToLowerInvariant(), ct).ConfigureAwait(false);
        return claim?.Value.Id;
    }

    /// <summary>A service by id or ARN with its stored version, or null when there is none.</summary>
    public async Task<Versioned<DiscoveryServiceRecord>?> GetServiceAsync(string serviceArnOrId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(serviceArnOrId);
        var id = arns.ServiceIdOf(serviceArnOrId) ?? serviceArnOrId;
        return id.Length == 0 || id.Contains('/', StringComparison.Ordinal) ? null
            : await documents.GetAsync<DiscoveryServiceRecord>(DiscoveryKinds.Service, id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers (or updates) an instance, as ECS does for a task: idempotent, and a registration that changes nothing
    /// writes nothing (the revision moves only on a change). Throws ServiceNotFound or InvalidInput.
    /// </summary>
    public Task RegisterAsync(string serviceId, string instanceId, IReadOnlyDictionary<string, string> attributes, CancellationToken ct) =>
        RegisterAsync(serviceId, instanceId, attributes, creatorRequestId: null, recordOperation: false, ct);

    /// <summary>
    /// Registers (or updates) an instance; with <paramref name="recordOperation"/> (the API) a REGISTER_INSTANCE
    /// operation is stored in the same commit and its id returned, otherwise null.
    /// </summary>
    public async Task<string?> RegisterAsync(string serviceId, string instanceId, IReadOnlyDictionary<string, string> attributes, string? creatorRequestId,
        bool recordOperation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentNullException.ThrowIfNull(attributes);
        for (var attempt = 1; ; attempt++)
        {
            var service = await GetServiceAsync(serviceId, ct).ConfigureAwait(false) ?? throw DiscoveryErrors.ServiceNotFound();
            InstanceAttributes.Validate(service.Value, attributes);
            var key = DiscoveryKinds.InstanceKey(service.Value.Id, instanceId);
            var existing = await documents.GetAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, key, ct).ConfigureAwait(false);
            var changed = existing is null || !SameAttributes(existing.Value.Attributes, attributes);
            var operation = recordOperation ? Operation(OperationTypeValues.REGISTER_INSTANCE, service.Value, instanceId) : null;
            if (!changed && operation is null)
            {
                return null;
            }
            var writes = new List<WriteOp>();
            if (changed)
            {
                var instance = new DiscoveryInstanceRecord(service.Value.Id, instanceId, new SortedDictionary<string, string>(attributes.ToDictionary(), StringComparer.Ordinal),
                    creatorRequestId, existing?.Value.HealthStatus ?? InstanceAttributes.InitialHealth(service.Value, attributes), existing?.Value.RegisteredAt ?? time.GetUtcNow());
                writes.Add(documents.Put(DiscoveryKinds.Instance, key, instance, existing?.Version ?? WriteOp.MustNotExist));
                writes.Add(ServiceWrite(service, existing is null ? 1 : 0));
            }
            if (operation is not null)
            {
                writes.Add(documents.Put(DiscoveryKinds.Operation, operation.Id, operation, WriteOp.MustNotExist));
            }
            if (await TryCommitAsync(writes, attempt, ct).ConfigureAwait(false))
            {
                return operation?.Id;
            }
        }
    }

    /// <summary>Deregisters an instance, as ECS does for a stopped task; one already gone is no error.</summary>
    public Task DeregisterAsync(string serviceId, string instanceId, CancellationToken ct) =>
        DeregisterAsync(serviceId, instanceId, recordOperation: false, ct);

    /// <summary>
    /// Deregisters an instance. Returns whether it was registered, and with <paramref name="recordOperation"/> the
    /// DEREGISTER_INSTANCE operation stored in the same commit. Throws ServiceNotFound.
    /// </summary>
    public async Task<(bool Found, string? OperationId)> DeregisterAsync(string serviceId, string instanceId, bool recordOperation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        for (var attempt = 1; ; attempt++)
        {
            var service = await GetServiceAsync(serviceId, ct).ConfigureAwait(false) ?? throw DiscoveryErrors.ServiceNotFound();
            var key = DiscoveryKinds.InstanceKey(service.Value.Id, instanceId);
            if (await documents.GetAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, key, ct).ConfigureAwait(false) is not { } existing)
            {
                return (false, null);
            }
            var operation = recordOperation ? Operation(OperationTypeValues.DEREGISTER_INSTANCE, service.Value, instanceId) : null;
            List<WriteOp> writes = [new DeleteOp(DiscoveryKinds.Instance, key, existing.Version), ServiceWrite(service, -1)];
            if (operation is not null)
            {
                writes.Add(documents.Put(DiscoveryKinds.Operation, operation.Id, operation, WriteOp.MustNotExist));
            }
            if (await TryCommitAsync(writes, attempt, ct).ConfigureAwait(false))
            {
                return (true, operation?.Id);
            }
        }
    }

    /// <summary>
    /// Sets an instance's custom health status at once (Cloud Map waits 30 s; Gantry need not). Throws ServiceNotFound,
    /// CustomHealthNotFound (the service has no HealthCheckCustomConfig) or InstanceNotFound. The revision stays.
    /// </summary>
    public async Task SetHealthAsync(string serviceId, string instanceId, bool healthy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var service = await FindServiceAsync(serviceId, ct).ConfigureAwait(false) ?? throw DiscoveryErrors.ServiceNotFound();
        if (!service.HasCustomHealth)
        {
            throw DiscoveryErrors.CustomHealthNotFound(service.Id);
        }
        var status = healthy ? HealthStatusValues.HEALTHY : HealthStatusValues.UNHEALTHY;
        await documents.UpdateAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, DiscoveryKinds.InstanceKey(service.Id, instanceId), current =>
            current is null ? throw DiscoveryErrors.InstanceNotFound(instanceId) : current with { HealthStatus = status }, ct).ConfigureAwait(false);
    }

    /// <summary>Every instance of a service, in instance id order.</summary>
    public async Task<IReadOnlyList<DiscoveryInstanceRecord>> InstancesOfAsync(string serviceId, CancellationToken ct) =>
        (await documents.ListAllAsync<DiscoveryInstanceRecord>(DiscoveryKinds.Instance, serviceId + "/", ct).ConfigureAwait(false)).Select(i => i.Value).ToList();

    /// <summary>
    /// Every private DNS namespace with its services that have DNS records and all their instances (with health), for a
    /// DNS server to answer from. Read document by document: a registration racing the read shows on the next one.
    /// </summary>
    public async Task<DiscoverySnapshot> ReadSnapshotAsync(CancellationToken ct)
    {
        var namespaces = (await documents.ListAllAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, null, ct).ConfigureAwait(false))
            .Select(n => n.Value).Where(n => n.IsPrivateDns).ToList();
        var services = (await documents.ListAllAsync<DiscoveryServiceRecord>(DiscoveryKinds.Service, null, ct).ConfigureAwait(false))
            .Select(s => s.Value).Where(s => s.Service.DnsConfig is { DnsRecords.Count: > 0 }).ToLookup(s => s.Service.NamespaceId);
        var zones = new List<DiscoverySnapshot.Zone>(namespaces.Count);
        foreach (var ns in namespaces)
        {
            var zoneServices = new List<DiscoverySnapshot.ZoneService>();
            foreach (var service in services[ns.Id].OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                zoneServices.Add(new DiscoverySnapshot.ZoneService(service, await InstancesOfAsync(service.Id, ct).ConfigureAwait(false)));
            }
            zones.Add(new DiscoverySnapshot.Zone(ns, zoneServices));
        }
        return new DiscoverySnapshot(zones);
    }

    private DiscoveryOperationRecord Operation(string type, DiscoveryServiceRecord service, string instanceId) =>
        DiscoveryOperationLog.Succeeded(type, new Dictionary<string, string>
        {
            [DiscoveryOperationLog.ServiceTarget] = service.Id,
            [DiscoveryOperationLog.InstanceTarget] = instanceId,
        }, service.Service.NamespaceId, service.Id, time.GetUtcNow());

    private PutOp ServiceWrite(Versioned<DiscoveryServiceRecord> service, int countChange)
    {
        var value = service.Value with
        {
            Service = service.Value.Service with { InstanceCount = Math.Max(0, (service.Value.Service.InstanceCount ?? 0) + countChange) },
            InstancesRevision = service.Value.InstancesRevision + 1,
        };
        return documents.Put(DiscoveryKinds.Service, value.Id, value, service.Version);
    }

    private async Task<bool> TryCommitAsync(IReadOnlyList<WriteOp> writes, int attempt, CancellationToken ct)
    {
        try
        {
            await documents.Store.CommitAsync(writes, ct).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
        {
            return false; // another registration of the service (or the instance) came first: read again
        }
    }

    private static bool SameAttributes(IReadOnlyDictionary<string, string> stored, IReadOnlyDictionary<string, string> wanted) =>
        stored.Count == wanted.Count && wanted.All(a => stored.TryGetValue(a.Key, out var value) && value == a.Value);
}
