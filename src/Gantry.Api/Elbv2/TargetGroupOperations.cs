using System.Text;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Arns;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.Api.Elbv2;

/// <summary>
/// CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the target group attributes.
/// A group is stored under its name with its whole attribute set; the load balancers it belongs to are not stored
/// but derived from the listeners and rules that forward to it (<see cref="TargetGroupUsage"/>).
/// </summary>
public sealed class TargetGroupOperations(Documents documents, ElbArns arns, TargetRegistry registry, TargetGroupUsage usage)
{
    public const int MaxPageSize = 400;

    public async Task<CreateTargetGroupOutput> CreateAsync(CreateTargetGroupInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var wanted = TargetGroupSettings.Create(input, "");
        var name = wanted.TargetGroupName!;
        while (true)
        {
            if (await documents.GetAsync<TargetGroupRecord>(ElbKinds.TargetGroup, name, ct).ConfigureAwait(false) is { } existing)
            {
                // ELB answers the existing group when one of that name has the same settings.
                return existing.Value.TargetGroup with { TargetGroupArn = null } == wanted with { TargetGroupArn = null }
                    ? new CreateTargetGroupOutput { TargetGroups = [await WithBalancersAsync(existing.Value.TargetGroup, ct).ConfigureAwait(false)] }
                    : throw TargetGroupErrors.Duplicate(name);
            }
            var group = wanted with { TargetGroupArn = arns.TargetGroup(name, ElbArns.NewId()) };
            var record = new TargetGroupRecord(group, TargetGroupAttributes.Defaults(group), input.Tags ?? [], []);
            try
            {
                await documents.Store.CommitAsync([documents.Put(ElbKinds.TargetGroup, name, record, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return new CreateTargetGroupOutput { TargetGroups = [group with { LoadBalancerArns = [] }] };
            }
            catch (ConcurrencyConflictException)
            {
                // Created meanwhile: answer as for an existing group.
            }
        }
    }

    public async Task<DescribeTargetGroupsOutput> DescribeAsync(DescribeTargetGroupsInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var pageSize = input.PageSize ?? MaxPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw TargetGroupErrors.Range("pageSize", pageSize, 1, MaxPageSize);
        }
        var selectors = (input.TargetGroupArns is { Count: > 0 } ? 1 : 0) + (input.Names is { Count: > 0 } ? 1 : 0) + (input.LoadBalancerArn is null ? 0 : 1);
        if (selectors > 1)
        {
            throw TargetGroupErrors.Validation("Only one of LoadBalancerArn, TargetGroupArns or Names can be specified");
        }
        var forwarded = await usage.ReadAsync(ct).ConfigureAwait(false);
        var groups = new List<TargetGroup>();
        if (input.TargetGroupArns is { Count: > 0 } wantedArns)
        {
            foreach (var arn in wantedArns.Distinct(StringComparer.Ordinal))
            {
                groups.Add((await FindAsync(arn, ct).ConfigureAwait(false)).TargetGroup);
            }
        }
        else if (input.Names is { Count: > 0 } names)
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var found = await documents.GetAsync<TargetGroupRecord>(ElbKinds.TargetGroup, name, ct).ConfigureAwait(false) ?? throw TargetGroupErrors.NotFound();
                groups.Add(found.Value.TargetGroup);
            }
        }
        else
        {
            var all = await documents.ListAllAsync<TargetGroupRecord>(ElbKinds.TargetGroup, null, ct).ConfigureAwait(false);
            var balancer = input.LoadBalancerArn is { } balancerArn ? await BalancerExistsAsync(balancerArn, ct).ConfigureAwait(false) : null;
            groups.AddRange(all.Select(g => g.Value.TargetGroup)
                .Where(g => balancer is null || (forwarded.TryGetValue(g.TargetGroupArn!, out var lbs) && lbs.Contains(balancer))));
        }
        groups.Sort((a, b) => string.CompareOrdinal(a.TargetGroupName, b.TargetGroupName));
        var after = DecodeMarker(input.Marker);
        var rest = groups.Where(g => after is null || string.CompareOrdinal(g.TargetGroupName, after) > 0).ToList();
        var page = rest.Take(pageSize).Select(g => g with { LoadBalancerArns = BalancersOf(forwarded, g) }).ToList();
        return new DescribeTargetGroupsOutput
        {
            TargetGroups = page,
            NextMarker = rest.Count > pageSize ? EncodeMarker(page[^1].TargetGroupName!) : null,
        };
    }

    public async Task<ModifyTargetGroupOutput> ModifyAsync(ModifyTargetGroupInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var found = await FindAsync(input.TargetGroupArn, ct).ConfigureAwait(false);
        var change = new TargetGroupSettings.HealthCheck(input.HealthCheckProtocol, input.HealthCheckPort, input.HealthCheckEnabled, input.HealthCheckPath,
            input.HealthCheckIntervalSeconds, input.HealthCheckTimeoutSeconds, input.HealthyThresholdCount, input.UnhealthyThresholdCount, input.Matcher);
        TargetGroupSettings.ApplyHealthCheck(found.TargetGroup, change); // refuse before writing
        var updated = await UpdateAsync(found, current => current with { TargetGroup = TargetGroupSettings.ApplyHealthCheck(current.TargetGroup, change) }, ct)
            .ConfigureAwait(false);
        return new ModifyTargetGroupOutput { TargetGroups = [await WithBalancersAsync(updated.TargetGroup, ct).ConfigureAwait(false)] };
    }

    /// <summary>Deletes a group not in use, with its targets' health; a group that does not exist is already deleted (ELB answers success).</summary>
    public async Task DeleteAsync(DeleteTargetGroupInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var arn = ValidArn(input.TargetGroupArn);
        if (await registry.FindAsync(arn, ct).ConfigureAwait(false) is not { } found)
        {
            return;
        }
        if ((await usage.ReadAsync(ct).ConfigureAwait(false)).ContainsKey(arn))
        {
            throw TargetGroupErrors.InUse(arn);
        }
        var name = found.Value.TargetGroup.TargetGroupName!;
        var health = await documents.ListAllAsync<TargetHealthRecord>(ElbKinds.TargetHealth, name + "/", ct).ConfigureAwait(false);
        try
        {
            await documents.Store.CommitAsync([new DeleteOp(ElbKinds.TargetGroup, name, found.Version),
                .. health.Select(h => new DeleteOp(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey(name, h.Value.Id, h.Value.Port), h.Version))], ct)
                .ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            await DeleteAsync(input, ct).ConfigureAwait(false); // changed meanwhile (a target registered, a health record written): look again
        }
    }

    public async Task<DescribeTargetGroupAttributesOutput> DescribeAttributesAsync(DescribeTargetGroupAttributesInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var found = await FindAsync(input.TargetGroupArn, ct).ConfigureAwait(false);
        return new DescribeTargetGroupAttributesOutput { Attributes = found.Attributes };
    }

    public async Task<ModifyTargetGroupAttributesOutput> ModifyAttributesAsync(ModifyTargetGroupAttributesInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var found = await FindAsync(input.TargetGroupArn, ct).ConfigureAwait(false);
        var changes = input.Attributes ?? [];
        TargetGroupAttributes.Apply(found.TargetGroup, found.Attributes, changes); // refuse before writing
        var updated = await UpdateAsync(found, current => current with { Attributes = TargetGroupAttributes.Apply(current.TargetGroup, current.Attributes, changes) }, ct)
            .ConfigureAwait(false);
        return new ModifyTargetGroupAttributesOutput { Attributes = updated.Attributes };
    }

    /// <summary>The group an ARN names, or ELB's ValidationError (not an ARN) / TargetGroupNotFound.</summary>
    internal async Task<TargetGroupRecord> FindAsync(string? targetGroupArn, CancellationToken ct) =>
        (await registry.FindAsync(ValidArn(targetGroupArn), ct).ConfigureAwait(false))?.Value ?? throw TargetGroupErrors.NotFound();

    private string ValidArn(string? arn) =>
        arn is not null && arns.Segments(arn, "targetgroup") is [_, _] ? arn : throw TargetGroupErrors.Validation($"'{arn}' is not a valid target group ARN");

    private async Task<TargetGroupRecord> UpdateAsync(TargetGroupRecord found, Func<TargetGroupRecord, TargetGroupRecord> change, CancellationToken ct)
    {
        var arn = found.TargetGroup.TargetGroupArn;
        return await documents.UpdateAsync<TargetGroupRecord>(ElbKinds.TargetGroup, found.TargetGroup.TargetGroupName!, current =>
            current is not null && current.TargetGroup.TargetGroupArn == arn ? change(current) : throw TargetGroupErrors.NotFound(), ct).ConfigureAwait(false);
    }

    private async Task<string> BalancerExistsAsync(string balancerArn, CancellationToken ct)
    {
        if (arns.Segments(balancerArn, "loadbalancer") is not [_, var name, _])
        {
            throw TargetGroupErrors.Validation($"'{balancerArn}' is not a valid load balancer ARN");
        }
        var found = await documents.GetAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, name, ct).ConfigureAwait(false);
        return found?.Value.LoadBalancer.LoadBalancerArn == balancerArn ? balancerArn : throw TargetGroupErrors.LoadBalancerNotFound();
    }

    private async Task<TargetGroup> WithBalancersAsync(TargetGroup group, CancellationToken ct) =>
        group with { LoadBalancerArns = BalancersOf(await usage.ReadAsync(ct).ConfigureAwait(false), group) };

    private static List<string> BalancersOf(IReadOnlyDictionary<string, IReadOnlySet<string>> forwarded, TargetGroup group) =>
        forwarded.TryGetValue(group.TargetGroupArn!, out var balancers) ? balancers.Order(StringComparer.Ordinal).ToList() : [];

    private static string EncodeMarker(string lastName) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastName));

    private static string? DecodeMarker(string? marker)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return null;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(marker));
        }
        catch (FormatException)
        {
            throw TargetGroupErrors.Validation($"The marker '{marker}' is not valid");
        }
    }
}
