using System.Security.Cryptography;
using System.Text;
using Gantry.ControlPlane.Discovery;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Arns;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>
/// Create, get, list, update and delete namespaces. A namespace is stored under its id with a claim on its name (its
/// HttpName, which DiscoverInstances looks it up by), so a name is taken once whatever the type. A private DNS
/// namespace's name is a DNS zone: lowercased, without a trailing dot, in a VPC of the EC2 subset (<paramref name="networks"/>).
/// Public DNS namespaces are refused.
/// </summary>
public sealed class NamespaceOperations(Documents documents, NetworkDirectory networks, DiscoveryArns arns, TimeProvider time)
{
    public async Task<CreatePrivateDnsNamespaceResponse> CreatePrivateDnsAsync(CreatePrivateDnsNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = DiscoveryInput.NamespaceName(request.Name, "Name", 253).TrimEnd('.').ToLowerInvariant();
        var vpc = DiscoveryInput.Id(request.Vpc, "Vpc");
        // The default VPC is there from the first EC2 call on (made then, so that a refusal here writes nothing).
        if (vpc != networks.DefaultVpcId && await networks.FindVpcAsync(vpc, ct).ConfigureAwait(false) is null)
        {
            throw DiscoveryErrors.InvalidInput($"Vpc '{vpc}' does not exist: give the id of a VPC (aws ec2 describe-vpcs).");
        }
        var soa = request.Properties?.DnsProperties?.SOA is { } given ? DiscoveryInput.Ttl(given.TTL, "Properties.DnsProperties.SOA.TTL") : DiscoveryDefaults.SoaTtl;
        var properties = new NamespaceProperties
        {
            DnsProperties = new DnsProperties { HostedZoneId = DiscoveryArns.NewHostedZoneId(), SOA = new SOA { TTL = soa } },
            HttpProperties = new HttpProperties { HttpName = name },
        };
        return await CreateAsync(NamespaceTypeValues.DNS_PRIVATE, name, properties, vpc, request.CreatorRequestId, request.Description, request.Tags,
            id => new CreatePrivateDnsNamespaceResponse { OperationId = id }, ct).ConfigureAwait(false);
    }

    public Task<CreateHttpNamespaceResponse> CreateHttpAsync(CreateHttpNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = DiscoveryInput.NamespaceName(request.Name, "Name", 1024);
        var properties = new NamespaceProperties { DnsProperties = new DnsProperties(), HttpProperties = new HttpProperties { HttpName = name } };
        return CreateAsync(NamespaceTypeValues.HTTP, name, properties, null, request.CreatorRequestId, request.Description, request.Tags,
            id => new CreateHttpNamespaceResponse { OperationId = id }, ct);
    }

    public static Task<CreatePublicDnsNamespaceResponse> CreatePublicDnsAsync(CreatePublicDnsNamespaceRequest request) =>
        throw DiscoveryErrors.InvalidInput("Public DNS namespaces are not supported by Gantry: create a private DNS namespace or an HTTP namespace.");

    public async Task<GetNamespaceResponse> GetAsync(GetNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await FindAsync(request.Id, "Id", ct).ConfigureAwait(false);
        return new GetNamespaceResponse { Namespace = found.Value.Namespace };
    }

    public async Task<ListNamespacesResponse> ListAsync(ListNamespacesRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filters = (request.Filters ?? []).Select(NamespaceMatch).ToList();
        var (items, next) = await documents.PageAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, null, DiscoveryInput.After(request.NextToken),
            DiscoveryInput.Limit(request.MaxResults), descending: false, n => filters.All(f => f(n.Namespace)), ct).ConfigureAwait(false);
        return new ListNamespacesResponse
        {
            Namespaces = items.Select(n => n.Namespace).Select(n => new NamespaceSummary
            {
                Id = n.Id,
                Arn = n.Arn,
                Name = n.Name,
                Type = n.Type,
                Description = n.Description,
                ServiceCount = n.ServiceCount,
                Properties = n.Properties,
                CreateDate = n.CreateDate,
            }).ToList(),
            NextToken = DiscoveryInput.Next(next),
        };
    }

    public async Task<UpdatePrivateDnsNamespaceResponse> UpdatePrivateDnsAsync(UpdatePrivateDnsNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var change = DiscoveryInput.Required(request.Namespace, "Namespace");
        var description = DiscoveryInput.AtMost(change.Description, "Namespace.Description", 1024);
        var soa = change.Properties?.DnsProperties?.SOA is { } given ? DiscoveryInput.Ttl(given.TTL, "Namespace.Properties.DnsProperties.SOA.TTL") : (long?)null;
        var id = await UpdateAsync(request.Id, request.UpdaterRequestId, NamespaceTypeValues.DNS_PRIVATE, n => n with
        {
            Description = description ?? n.Description,
            Properties = soa is null ? n.Properties : n.Properties! with { DnsProperties = n.Properties.DnsProperties! with { SOA = new SOA { TTL = soa } } },
        }, ct).ConfigureAwait(false);
        return new UpdatePrivateDnsNamespaceResponse { OperationId = id };
    }

    public async Task<UpdateHttpNamespaceResponse> UpdateHttpAsync(UpdateHttpNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var change = DiscoveryInput.Required(request.Namespace, "Namespace");
        var description = DiscoveryInput.AtMost(DiscoveryInput.Required(change.Description, "Namespace.Description"), "Namespace.Description", 1024);
        var id = await UpdateAsync(request.Id, request.UpdaterRequestId, NamespaceTypeValues.HTTP, n => n with { Description = description }, ct).ConfigureAwait(false);
        return new UpdateHttpNamespaceResponse { OperationId = id };
    }

    /// <summary>Deletes a namespace without services (ResourceInUse while it has any), with its name claim, in one commit.</summary>
    public async Task<DeleteNamespaceResponse> DeleteAsync(DeleteNamespaceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        while (true)
        {
            var found = await FindAsync(request.Id, "Id", ct).ConfigureAwait(false);
            if (found.Value.Namespace.ServiceCount is > 0 and var count)
            {
                throw DiscoveryErrors.ResourceInUse($"Namespace {found.Value.Id} has {count} service(s): delete them first.");
            }
            var operation = Operation(OperationTypeValues.DELETE_NAMESPACE, found.Value.Id);
            try
            {
                await documents.Store.CommitAsync([new DeleteOp(DiscoveryKinds.Namespace, found.Value.Id, found.Version),
                    new DeleteOp(DiscoveryKinds.NamespaceName, found.Value.Name),
                    documents.Put(DiscoveryKinds.Operation, operation.Id, operation, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return new DeleteNamespaceResponse { OperationId = operation.Id };
            }
            catch (ConcurrencyConflictException)
            {
                // A service was created (or the namespace changed) meanwhile: look again.
            }
        }
    }

    /// <summary>The namespace an id or ARN names, or NamespaceNotFound.</summary>
    public async Task<Versioned<DiscoveryNamespaceRecord>> FindAsync(string? idOrArn, string field, CancellationToken ct)
    {
        var given = DiscoveryInput.Required(idOrArn, field);
        var id = arns.NamespaceIdOf(given) ?? given;
        return id.Contains('/', StringComparison.Ordinal) ? throw DiscoveryErrors.NamespaceNotFound()
            : await documents.GetAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, id, ct).ConfigureAwait(false) ?? throw DiscoveryErrors.NamespaceNotFound();
    }

    private async Task<TResponse> CreateAsync<TResponse>(string type, string name, NamespaceProperties properties, string? vpc, string? creatorRequestId,
        string? description, IReadOnlyList<DiscoveryTag>? tags, Func<string, TResponse> answer, CancellationToken ct)
    {
        DiscoveryInput.AtMost(creatorRequestId, "CreatorRequestId", 64);
        DiscoveryInput.AtMost(description, "Description", 1024);
        var validTags = DiscoveryTags.Merge(name, [], DiscoveryTags.Validate(tags, "Tags"));
        while (true)
        {
            if (await documents.GetAsync<DiscoveryNameClaim>(DiscoveryKinds.NamespaceName, name, ct).ConfigureAwait(false) is { } claim
                && await documents.GetAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, claim.Value.Id, ct).ConfigureAwait(false) is { } existing)
            {
                // A create retried with its CreatorRequestId answers the first one's operation.
                return creatorRequestId is not null && existing.Value.Namespace.CreatorRequestId == creatorRequestId && existing.Value.Namespace.Type == type
                    ? answer(existing.Value.CreateOperationId)
                    : throw DiscoveryErrors.NamespaceAlreadyExists(name, existing.Value.Id);
            }
            if (creatorRequestId is not null && await CreatedByAsync(creatorRequestId, ct).ConfigureAwait(false) is { } other)
            {
                throw DiscoveryErrors.DuplicateRequest(other.CreateOperationId);
            }
            var id = DiscoveryArns.NewNamespaceId();
            var operation = Operation(OperationTypeValues.CREATE_NAMESPACE, id);
            var record = new DiscoveryNamespaceRecord(new DiscoveryNamespace
            {
                Id = id,
                Arn = arns.Namespace(id),
                Name = name,
                Type = type,
                Description = description,
                ServiceCount = 0,
                Properties = properties,
                CreateDate = operation.Operation.CreateDate,
                CreatorRequestId = creatorRequestId,
            }, validTags, vpc, operation.Id);
            try
            {
                await documents.Store.CommitAsync([documents.Put(DiscoveryKinds.NamespaceName, name, new DiscoveryNameClaim(id), WriteOp.MustNotExist),
                    documents.Put(DiscoveryKinds.Namespace, id, record, WriteOp.MustNotExist),
                    documents.Put(DiscoveryKinds.Operation, operation.Id, operation, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return answer(operation.Id);
            }
            catch (ConcurrencyConflictException)
            {
                // The name was taken meanwhile: answer as for an existing namespace.
            }
        }
    }

    private async Task<DiscoveryNamespaceRecord?> CreatedByAsync(string creatorRequestId, CancellationToken ct)
    {
        await foreach (var stored in documents.EnumerateAsync<DiscoveryNamespaceRecord>(DiscoveryKinds.Namespace, null, null, ct).ConfigureAwait(false))
        {
            if (stored.Value.Namespace.CreatorRequestId == creatorRequestId)
            {
                return stored.Value;
            }
        }
        return null;
    }

    /// <summary>
    /// Applies <paramref name="change"/> with an UPDATE_NAMESPACE operation. An update retried with its UpdaterRequestId answers the
    /// first one's operation and changes nothing: the operation's id is drawn from the namespace and that id.
    /// </summary>
    private async Task<string> UpdateAsync(string? idOrArn, string? updaterRequestId, string type, Func<DiscoveryNamespace, DiscoveryNamespace> change,
        CancellationToken ct)
    {
        DiscoveryInput.AtMost(updaterRequestId, "UpdaterRequestId", 64);
        while (true)
        {
            var found = await FindAsync(idOrArn, "Id", ct).ConfigureAwait(false);
            if (found.Value.Namespace.Type != type)
            {
                throw DiscoveryErrors.InvalidInput($"Namespace {found.Value.Id} is of type {found.Value.Namespace.Type}, not {type}.");
            }
            var retryId = updaterRequestId is null ? null : RetryOperationId(found.Value.Id, updaterRequestId);
            if (retryId is not null && await documents.GetAsync<DiscoveryOperationRecord>(DiscoveryKinds.Operation, retryId, ct).ConfigureAwait(false) is not null)
            {
                return retryId;
            }
            var operation = Operation(OperationTypeValues.UPDATE_NAMESPACE, found.Value.Id, retryId);
            var updated = found.Value with { Namespace = change(found.Value.Namespace) };
            try
            {
                await documents.Store.CommitAsync([documents.Put(DiscoveryKinds.Namespace, updated.Id, updated, found.Version),
                    documents.Put(DiscoveryKinds.Operation, operation.Id, operation, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return operation.Id;
            }
            catch (ConcurrencyConflictException)
            {
                // Changed meanwhile (a service created or deleted, or the same retry): apply the change again.
            }
        }
    }

    /// <summary>The operation id an update of <paramref name="namespaceId"/> with <paramref name="updaterRequestId"/> has (Cloud Map's form).</summary>
    private static string RetryOperationId(string namespaceId, string updaterRequestId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{namespaceId}/{updaterRequestId}")));
        return $"{hash[..32]}-{hash[32..40]}";
    }

    private DiscoveryOperationRecord Operation(string type, string namespaceId, string? id = null) =>
        DiscoveryOperationLog.Succeeded(type, new Dictionary<string, string> { [DiscoveryOperationLog.NamespaceTarget] = namespaceId }, namespaceId, null,
            time.GetUtcNow(), id);

    private static Func<DiscoveryNamespace, bool> NamespaceMatch(NamespaceFilter filter)
    {
        var name = DiscoveryInput.OneOf(filter.Name, "Filters.Name", [NamespaceFilterNameValues.TYPE, NamespaceFilterNameValues.NAME, NamespaceFilterNameValues.HTTP_NAME]);
        var condition = DiscoveryInput.OneOf(filter.Condition ?? FilterConditionValues.EQ, "Filters.Condition", [FilterConditionValues.EQ, FilterConditionValues.BEGINS_WITH]);
        var value = filter.Values is [var one] ? one : throw DiscoveryErrors.InvalidInput($"Filters.Values of {name} must hold exactly one value.");
        Func<DiscoveryNamespace, string?> field = name switch
        {
            NamespaceFilterNameValues.TYPE => n => n.Type,
            NamespaceFilterNameValues.NAME => n => n.Name,
            _ => n => n.Properties?.HttpProperties?.HttpName,
        };
        return condition == FilterConditionValues.EQ
            ? n => field(n) == value
            : n => field(n)?.StartsWith(value, StringComparison.Ordinal) == true;
    }
}
