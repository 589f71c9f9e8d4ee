using Gantry.ControlPlane.Discovery;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>
/// CreateService, GetService, UpdateService, DeleteService and ListServices. A service is stored under its id with a
/// claim on its name in its namespace; its creation and deletion commit with its namespace (whose ServiceCount they
/// move), so a namespace is never deleted under a new service. CreateService and DeleteService are synchronous.
/// </summary>
public sealed class DiscoveryServiceOperations(Documents documents, NamespaceOperations namespaces, DiscoveryRegistry registry,
    Gantry.Domain.Arns.DiscoveryArns arns, TimeProvider time)
{
    public async Task<CreateServiceResponse> CreateAsync(CreateServiceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = DiscoveryInput.ServiceName(request.Name, "Name");
        DiscoveryInput.AtMost(request.CreatorRequestId, "CreatorRequestId", 64);
        DiscoveryInput.AtMost(request.Description, "Description", 1024);
        var namespaceId = request.NamespaceId ?? request.DnsConfig?.NamespaceId ?? throw DiscoveryErrors.Missing("NamespaceId");
        if (request.Type is { } option)
        {
            DiscoveryInput.OneOf(option, "Type", ServiceTypeOptionValues.All);
        }
        var tags = DiscoveryTags.Merge(name, [], DiscoveryTags.Validate(request.Tags, "Tags"));
        var custom = request.HealthCheckCustomConfig is { } given
            ? given.FailureThreshold is null or (>= 1 and <= 10) ? new HealthCheckCustomConfig { FailureThreshold = 1 }
                : throw DiscoveryErrors.InvalidInput("HealthCheckCustomConfig.FailureThreshold must be from 1 to 10.")
            : null;
        while (true)
        {
            var ns = await namespaces.FindAsync(namespaceId, "NamespaceId", ct).ConfigureAwait(false);
            var (type, dnsConfig) = Shape(ns.Value, request);
            if (await documents.GetAsync<DiscoveryNameClaim>(DiscoveryKinds.ServiceName, DiscoveryKinds.ServiceNameKey(ns.Value.Id, name), ct).ConfigureAwait(false) is { } claim
                && await documents.GetAsync<DiscoveryServiceRecord>(DiscoveryKinds.Service, claim.Value.Id, ct).ConfigureAwait(false) is { } existing)
            {
                // A create retried with its CreatorRequestId answers the service it created.
                return request.CreatorRequestId is not null && existing.Value.Service.CreatorRequestId == request.CreatorRequestId
                    ? new CreateServiceResponse { Service = existing.Value.Service }
                    : throw DiscoveryErrors.ServiceAlreadyExists(existing.Value.Name, existing.Value.Id);
            }
            var id = Gantry.Domain.Arns.DiscoveryArns.NewServiceId();
            var service = new DiscoveryService
            {
                Id = id,
                Arn = arns.Service(id),
                Name = name,
                NamespaceId = ns.Value.Id,
                Description = request.Description,
                InstanceCount = 0,
                DnsConfig = dnsConfig,
                Type = type,
                HealthCheckCustomConfig = custom,
                CreateDate = time.GetUtcNow(),
                CreatorRequestId = request.CreatorRequestId,
            };
            var counted = ns.Value with { Namespace = ns.Value.Namespace with { ServiceCount = (ns.Value.Namespace.ServiceCount ?? 0) + 1 } };
            try
            {
                await documents.Store.CommitAsync([
                    documents.Put(DiscoveryKinds.ServiceName, DiscoveryKinds.ServiceNameKey(ns.Value.Id, name), new DiscoveryNameClaim(id), WriteOp.MustNotExist),
                    documents.Put(DiscoveryKinds.Service, id, new DiscoveryServiceRecord(service, tags, ns.Value.Name, 0), WriteOp.MustNotExist),
                    documents.Put(DiscoveryKinds.Namespace, ns.Value.Id, counted, ns.Version)], ct).ConfigureAwait(false);
                return new CreateServiceResponse { Service = service };
            }
            catch (ConcurrencyConflictException)
            {
                // The namespace changed or the name was taken meanwhile: look again.
            }
        }
    }

    public async Task<GetServiceResponse> GetAsync(GetServiceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GetServiceResponse { Service = (await FindAsync(request.Id, ct).ConfigureAwait(false)).Value.Service };
    }

    /// <summary>Replaces the description and DNS records given; a Route 53 health check is refused as at creation.</summary>
    public async Task<UpdateServiceResponse> UpdateAsync(UpdateServiceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var change = DiscoveryInput.Required(request.Service, "Service");
        DiscoveryInput.AtMost(change.Description, "Service.Description", 1024);
        if (change.HealthCheckConfig is not null)
        {
            throw DiscoveryErrors.NotSupported("Service.HealthCheckConfig (Route 53 health checks) is");
        }
        while (true)
        {
            var found = await FindAsync(request.Id, ct).ConfigureAwait(false);
            var service = found.Value.Service;
            if (change.DnsConfig is { } dns)
            {
                service = service.DnsConfig is { } current
                    ? service with { DnsConfig = current with { DnsRecords = DnsRecords(dns.DnsRecords, current.RoutingPolicy!, "Service.DnsConfig.DnsRecords") } }
                    : throw DiscoveryErrors.InvalidInput($"Service.DnsConfig: service {service.Id} has no DNS records to update (it is discoverable by API calls only).");
            }
            service = service with { Description = change.Description ?? service.Description };
            var operation = DiscoveryOperationLog.Succeeded(OperationTypeValues.UPDATE_SERVICE,
                new Dictionary<string, string> { [DiscoveryOperationLog.ServiceTarget] = service.Id! }, service.NamespaceId, service.Id, time.GetUtcNow());
            try
            {
                await documents.Store.CommitAsync([documents.Put(DiscoveryKinds.Service, service.Id!, found.Value with { Service = service }, found.Version),
                    documents.Put(DiscoveryKinds.Operation, operation.Id, operation, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return new UpdateServiceResponse { OperationId = operation.Id };
            }
            catch (ConcurrencyConflictException)
            {
                // An instance registered meanwhile: apply the change again.
            }
        }
    }

    /// <summary>Deletes a service without instances (ResourceInUse while it has any), with its name claim.</summary>
    public async Task<DeleteServiceResponse> DeleteAsync(DeleteServiceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        while (true)
        {
            var found = await FindAsync(request.Id, ct).ConfigureAwait(false);
            if (found.Value.Service.InstanceCount is > 0 and var count)
            {
                throw DiscoveryErrors.ResourceInUse($"Service {found.Value.Id} has {count} registered instance(s): deregister them first.");
            }
            var writes = new List<WriteOp>
            {
                new DeleteOp(DiscoveryKinds.Service, found.Value.Id, found.Version),
                new DeleteOp(DiscoveryKinds.ServiceName, DiscoveryKinds.ServiceNameKey(found.Value.Service.NamespaceId!, found.Value.Name)),
            };
            if (await documents.GetAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, found.Value.Service.NamespaceId!, ct).ConfigureAwait(false) is { } ns)
            {
                var counted = ns.Value with { Namespace = ns.Value.Namespace with { ServiceCount = Math.Max(0, (ns.Value.Namespace.ServiceCount ?? 0) - 1) } };
                writes.Add(documents.Put(DiscoveryKinds.Namespace, ns.Value.Id, counted, ns.Version));
            }
            try
            {
                await documents.Store.CommitAsync(writes, ct).ConfigureAwait(false);
                return new DeleteServiceResponse();
            }
            catch (ConcurrencyConflictException)
            {
                // An instance registered or the namespace changed meanwhile: look again.
            }
        }
    }

    public async Task<ListServicesResponse> ListAsync(ListServicesRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var namespaceIds = (request.Filters ?? []).Select(NamespaceIds).ToList();
        var (items, next) = await documents.PageAsync<DiscoveryServiceRecord>(DiscoveryKinds.Service, null, DiscoveryInput.After(request.NextToken),
            DiscoveryInput.Limit(request.MaxResults), descending: false, s => namespaceIds.All(ids => ids.Contains(s.Service.NamespaceId!)), ct).ConfigureAwait(false);
        return new ListServicesResponse
        {
            Services = items.Select(s => s.Service).Select(s => new ServiceSummary
            {
                Id = s.Id,
                Arn = s.Arn,
                Name = s.Name,
                Type = s.Type,
                Description = s.Description,
                InstanceCount = s.InstanceCount,
                DnsConfig = s.DnsConfig,
                HealthCheckConfig = s.HealthCheckConfig,
                HealthCheckCustomConfig = s.HealthCheckCustomConfig,
                CreateDate = s.CreateDate,
            }).ToList(),
            NextToken = DiscoveryInput.Next(next),
        };
    }

    /// <summary>The service an id or ARN names, or ServiceNotFound.</summary>
    public async Task<Versioned<DiscoveryServiceRecord>> FindAsync(string? idOrArn, CancellationToken ct) =>
        await registry.GetServiceAsync(DiscoveryInput.Required(idOrArn, "Id"), ct).ConfigureAwait(false) ?? throw DiscoveryErrors.ServiceNotFound();

    /// <summary>
    /// The service's type and DNS configuration as Cloud Map decides them: HTTP in an HTTP namespace (no DnsConfig) or when
    /// asked for; otherwise DNS_HTTP with the DNS records given.
    /// </summary>
    private static (string Type, DnsConfig? Dns) Shape(DiscoveryNamespaceRecord ns, CreateServiceRequest request)
    {
        if (request.HealthCheckConfig is not null)
        {
            throw ns.IsPrivateDns
                ? DiscoveryErrors.InvalidInput("HealthCheckConfig is not supported for private DNS namespaces: use HealthCheckCustomConfig.")
                : DiscoveryErrors.NotSupported("HealthCheckConfig (Route 53 health checks) is");
        }
        if (!ns.IsPrivateDns || request.Type == ServiceTypeOptionValues.HTTP)
        {
            return request.DnsConfig is not null
                ? throw DiscoveryErrors.InvalidInput(ns.IsPrivateDns
                    ? "DnsConfig cannot be specified for a service of Type HTTP: its instances are discoverable by API calls only."
                    : $"DnsConfig is not supported for services in HTTP namespace {ns.Id}.")
                : (ServiceTypeValues.HTTP, null);
        }
        var dns = DiscoveryInput.Required(request.DnsConfig, "DnsConfig");
        if (dns.NamespaceId is { } given && given != ns.Id && request.NamespaceId is not null)
        {
            throw DiscoveryErrors.InvalidInput($"DnsConfig.NamespaceId {given} differs from NamespaceId {ns.Id}.");
        }
        var policy = DiscoveryInput.OneOf(dns.RoutingPolicy ?? RoutingPolicyValues.MULTIVALUE, "DnsConfig.RoutingPolicy", RoutingPolicyValues.All);
        return (ServiceTypeValues.DNS_HTTP, new DnsConfig { NamespaceId = ns.Id, RoutingPolicy = policy, DnsRecords = DnsRecords(dns.DnsRecords, policy, "DnsConfig.DnsRecords") });
    }

    /// <summary>A, AAAA and SRV in any mix, each once; CNAME alone and only with WEIGHTED routing.</summary>
    private static List<DnsRecord> DnsRecords(IReadOnlyList<DnsRecord>? records, string policy, string field)
    {
        if (records is not { Count: > 0 })
        {
            throw DiscoveryErrors.Missing(field);
        }
        var valid = records.Select((r, i) => new DnsRecord
        {
            Type = DiscoveryInput.OneOf(r.Type, $"{field}[{i}].Type", RecordTypeValues.All),
            TTL = DiscoveryInput.Ttl(r.TTL, $"{field}[{i}].TTL"),
        }).ToList();
        if (valid.Select(r => r.Type).Distinct().Count() != valid.Count)
        {
            throw DiscoveryErrors.InvalidInput($"{field}: each record type can be given once.");
        }
        if (valid.Any(r => r.Type == RecordTypeValues.CNAME))
        {
            if (valid.Count > 1)
            {
                throw DiscoveryErrors.InvalidInput($"{field}: a CNAME record cannot be combined with other records.");
            }
            if (policy != RoutingPolicyValues.WEIGHTED)
            {
                throw DiscoveryErrors.InvalidInput($"{field}: a CNAME record needs RoutingPolicy WEIGHTED.");
            }
        }
        return valid;
    }

    private static HashSet<string> NamespaceIds(ServiceFilter filter)
    {
        DiscoveryInput.OneOf(filter.Name, "Filters.Name", ServiceFilterNameValues.All);
        var condition = DiscoveryInput.OneOf(filter.Condition ?? FilterConditionValues.EQ, "Filters.Condition", [FilterConditionValues.EQ, FilterConditionValues.IN]);
        var values = DiscoveryInput.Required(filter.Values, "Filters.Values");
        return condition == FilterConditionValues.EQ && values.Count != 1 || values.Count == 0
            ? throw DiscoveryErrors.InvalidInput($"Filters.Values must hold {(condition == FilterConditionValues.EQ ? "exactly one value" : "at least one value")} for {condition}.")
            : values.ToHashSet(StringComparer.Ordinal);
    }
}
