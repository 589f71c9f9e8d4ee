using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;
using ContainerInstance = Gantry.Domain.Ecs.ContainerInstance;

namespace Gantry.Api.Elbv2;

/// <summary>
/// CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer, Describe/ModifyLoadBalancerAttributes. A load balancer
/// is <c>active</c> as soon as it is stored (Gantry provisions nothing: the data plane binds its listeners from the
/// stored state); it takes an address of the server's pool, which its DNS name stands for.
/// </summary>
public sealed class LoadBalancerOperations(ElbResources resources, LoadBalancerAddressPool addresses, AwsAccount account, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _creating = new(1, 1); // one address taken at a time

    private Documents Documents => resources.Documents;

    public void Dispose() => _creating.Dispose();

    public async Task<CreateLoadBalancerOutput> CreateAsync(CreateLoadBalancerInput request, CancellationToken ct)
    {
        var name = LoadBalancerNames.Validate(request.Name);
        var type = request.Type ?? "application";
        if (type is not ("application" or "network"))
        {
            throw type == "gateway"
                ? ElbErrors.Validation("Load balancer type 'gateway' is not supported by Gantry: it has application and network load balancers")
                : ElbErrors.Constraint(type, "type", "Member must satisfy enum value set: [application, network, gateway]");
        }
        var scheme = request.Scheme ?? "internet-facing";
        if (scheme is not ("internet-facing" or "internal"))
        {
            throw ElbErrors.Constraint(scheme, "scheme", "Member must satisfy enum value set: [internet-facing, internal]");
        }
        var ipType = request.IpAddressType ?? "ipv4";
        if (ipType != "ipv4")
        {
            throw ElbErrors.Validation($"IP address type '{ipType}' is not supported by Gantry: load balancers have IPv4 addresses");
        }
        if (request.Subnets is { Count: > 0 } && request.SubnetMappings is { Count: > 0 })
        {
            throw ElbErrors.Validation("You can specify subnets or subnet mappings, not both");
        }
        var tags = ElbTags.Validate(request.Tags);
        await _creating.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (await Documents.GetAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, name, ct).ConfigureAwait(false) is { } existing)
            {
                var stored = existing.Value.LoadBalancer;
                return stored.Type == type && stored.Scheme == scheme
                    ? new CreateLoadBalancerOutput { LoadBalancers = [stored] } // ELB: the same name and settings is the same load balancer
                    : throw ElbErrors.DuplicateLoadBalancerName(name);
            }
            var all = await Documents.ListAllAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, null, ct).ConfigureAwait(false);
            if (all.Count >= ElbLimits.LoadBalancers)
            {
                throw ElbErrors.TooManyLoadBalancers();
            }
            var address = addresses.Take(all.Select(b => b.Value.ListenAddress));
            var id = ElbArns.NewId();
            var balancer = new LoadBalancer
            {
                LoadBalancerArn = resources.Arns.LoadBalancer(type, name, id),
                DNSName = LoadBalancerNames.DnsName(type, scheme, name, id, account.Region),
                CanonicalHostedZoneId = LoadBalancerNames.HostedZoneId(type),
                CreatedTime = time.GetUtcNow(),
                LoadBalancerName = name,
                Scheme = scheme,
                VpcId = LoadBalancerNames.VpcId(account.AccountId, account.Region),
                State = new LoadBalancerState { Code = "active" },
                Type = type,
                AvailabilityZones = await ZonesAsync(request, ct).ConfigureAwait(false),
                SecurityGroups = type == "application" || request.SecurityGroups is { Count: > 0 } ? request.SecurityGroups ?? [] : null,
                IpAddressType = ipType,
            };
            var record = new LoadBalancerRecord(balancer, LoadBalancerAttributes.Defaults(type), tags, address.ToString());
            await Documents.Store.CommitAsync([Documents.Put(ElbKinds.LoadBalancer, name, record, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
            return new CreateLoadBalancerOutput { LoadBalancers = [balancer] };
        }
        finally
        {
            _creating.Release();
        }
    }

    public async Task<DescribeLoadBalancersOutput> DescribeAsync(DescribeLoadBalancersInput request, CancellationToken ct)
    {
        var size = ElbPaging.Size(request.PageSize);
        if (request.Names is { Count: > 0 } && request.LoadBalancerArns is { Count: > 0 })
        {
            throw ElbErrors.Validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        }
        if (request.Names is { Count: > 0 } names)
        {
            var found = new List<LoadBalancer>();
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                found.Add((await Documents.GetAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, name, ct).ConfigureAwait(false))?.Value.LoadBalancer
                    ?? throw ElbErrors.LoadBalancersNotFound());
            }
            return new DescribeLoadBalancersOutput { LoadBalancers = found };
        }
        if (request.LoadBalancerArns is { Count: > 0 } arns)
        {
            var found = new List<LoadBalancer>();
            foreach (var arn in arns.Distinct(StringComparer.Ordinal))
            {
                found.Add((await resources.FindBalancerAsync(arn, ct).ConfigureAwait(false))?.Value.LoadBalancer ?? throw ElbErrors.LoadBalancersNotFound());
            }
            return new DescribeLoadBalancersOutput { LoadBalancers = found };
        }
        var page = await Documents.ListAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, null, ElbPaging.After(request.Marker), size + 1, ct).ConfigureAwait(false);
        var items = page.Take(size).Select(b => b.Value.LoadBalancer).ToList();
        return new DescribeLoadBalancersOutput
        {
            LoadBalancers = items,
            NextMarker = page.Count > size ? ElbPaging.Next(items[^1].LoadBalancerName!) : null,
        };
    }

    /// <summary>Deletes a load balancer with its listeners and rules; an unknown one is no error (ELB's DeleteLoadBalancer is idempotent).</summary>
    public async Task<DeleteLoadBalancerOutput> DeleteAsync(DeleteLoadBalancerInput request, CancellationToken ct)
    {
        var arn = RequireArn(request.LoadBalancerArn, "loadBalancerArn");
        if (await resources.FindBalancerAsync(arn, ct).ConfigureAwait(false) is not { } found)
        {
            return new DeleteLoadBalancerOutput();
        }
        if (LoadBalancerAttributes.IsEnabled(found.Value.Attributes, LoadBalancerAttributes.DeletionProtection))
        {
            throw ElbErrors.OperationNotPermitted($"Load balancer '{arn}' cannot be deleted because deletion protection is enabled");
        }
        var name = found.Value.LoadBalancer.LoadBalancerName!;
        var listeners = await resources.ListenersOfAsync(name, ct).ConfigureAwait(false);
        var rules = await Documents.ListAllAsync<RuleRecord>(ElbKinds.Rule, name + "/", ct).ConfigureAwait(false);
        var deletes = new List<WriteOp> { new DeleteOp(ElbKinds.LoadBalancer, name, found.Version) };
        deletes.AddRange(listeners.Select(l => new DeleteOp(ElbKinds.Listener, resources.ListenerKey(l.Value.Listener.ListenerArn!)!)));
        deletes.AddRange(rules.Select(r => new DeleteOp(ElbKinds.Rule, resources.RuleKey(r.Value.Rule.RuleArn!)!)));
        await Documents.Store.CommitAsync(deletes, ct).ConfigureAwait(false);
        return new DeleteLoadBalancerOutput();
    }

    public async Task<DescribeLoadBalancerAttributesOutput> DescribeAttributesAsync(DescribeLoadBalancerAttributesInput request, CancellationToken ct)
    {
        var found = await RequireAsync(request.LoadBalancerArn, ct).ConfigureAwait(false);
        return new DescribeLoadBalancerAttributesOutput { Attributes = found.Value.Attributes };
    }

    public async Task<ModifyLoadBalancerAttributesOutput> ModifyAttributesAsync(ModifyLoadBalancerAttributesInput request, CancellationToken ct)
    {
        var found = await RequireAsync(request.LoadBalancerArn, ct).ConfigureAwait(false);
        var arn = found.Value.LoadBalancer.LoadBalancerArn!;
        var type = found.Value.LoadBalancer.Type!;
        LoadBalancerAttributes.Apply(type, found.Value.Attributes, request.Attributes); // validate before writing
        var updated = await Documents.UpdateAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, found.Value.LoadBalancer.LoadBalancerName!, current =>
            current is not null && current.LoadBalancer.LoadBalancerArn == arn
                ? current with { Attributes = LoadBalancerAttributes.Apply(type, current.Attributes, request.Attributes) }
                : throw ElbErrors.LoadBalancerNotFound(arn), ct).ConfigureAwait(false);
        return new ModifyLoadBalancerAttributesOutput { Attributes = updated.Attributes };
    }

    /// <summary>The load balancer an ARN names, or LoadBalancerNotFound.</summary>
    private async Task<Versioned<LoadBalancerRecord>> RequireAsync(string? arn, CancellationToken ct)
    {
        var checkedArn = RequireArn(arn, "loadBalancerArn");
        return await resources.FindBalancerAsync(checkedArn, ct).ConfigureAwait(false) ?? throw ElbErrors.LoadBalancerNotFound(checkedArn);
    }

    private string RequireArn(string? arn, string field) =>
        string.IsNullOrEmpty(arn) ? throw ElbErrors.Missing(field)
        : resources.BalancerKey(arn) is null ? throw ElbErrors.Validation($"'{arn}' is not a valid load balancer ARN")
        : arn;

    /// <summary>
    /// One zone per subnet named (a subnet mapping's or a subnet's id) in the zones Gantry's nodes report
    /// (<c>ecs.availability-zone</c>) taken in turn, or the region's first zone when no node reports one; one zone,
    /// with a subnet id derived from it, when none is named.
    /// </summary>
    private async Task<IReadOnlyList<AvailabilityZone>> ZonesAsync(CreateLoadBalancerInput request, CancellationToken ct)
    {
        var instances = await Documents.ListAllAsync<ContainerInstance>(Kinds.ContainerInstance, null, ct).ConfigureAwait(false);
        var zones = instances.SelectMany(i => i.Value.Attributes ?? []).Where(a => a.Name == "ecs.availability-zone" && !string.IsNullOrEmpty(a.Value))
            .Select(a => a.Value!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (zones.Count == 0)
        {
            zones.Add(account.Region + "a");
        }
        var subnets = (request.SubnetMappings?.Select(m => m.SubnetId) ?? request.Subnets ?? []).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return subnets.Count == 0
            ? [new AvailabilityZone { ZoneName = zones[0], SubnetId = LoadBalancerNames.SubnetId(zones[0]), LoadBalancerAddresses = [] }]
            : [.. subnets.Select((subnet, i) => new AvailabilityZone { ZoneName = zones[i % zones.Count], SubnetId = subnet, LoadBalancerAddresses = [] })];
    }
}
