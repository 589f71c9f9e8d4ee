using System.Net;
using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// Creates and deletes VPCs, subnets and security groups, changes group rules and tags, with EC2's checks: CIDRs inside
/// their VPC and not overlapping, group names unique per VPC, nothing deleted while something depends on it. Each write
/// re-puts the parent whose children it checked (see <see cref="NetworkCommits"/>), so checks and writes cannot interleave.
/// </summary>
public sealed class NetworkChanges(NetworkDirectory directory)
{
    private const int MinPrefixLength = 16;
    private const int MaxPrefixLength = 28;

    private Documents Documents => directory.Documents;

    public Task<VpcRecord> CreateVpcAsync(string? cidrBlock, IReadOnlyList<NetworkTag> tags, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(cidrBlock))
        {
            throw NetworkErrors.Missing("cidrBlock");
        }
        if (!SubnetAddresses.TryParse(cidrBlock, out var cidr))
        {
            throw NetworkErrors.InvalidValue(cidrBlock, "cidrBlock", "This is not a valid CIDR block.");
        }
        if (cidr.PrefixLength is < MinPrefixLength or > MaxPrefixLength)
        {
            throw new Domain.Errors.AwsException("InvalidVpc.Range", $"The CIDR '{cidrBlock}' is invalid.");
        }
        var vpc = new VpcRecord(NetworkIds.New(NetworkIds.Vpc), cidr.ToString(), IsDefault: false, tags);
        var group = DefaultGroupOf(vpc.Id, NetworkIds.New(NetworkIds.SecurityGroup));
        return NetworkCommits.RunAsync(Documents.Store, () => Task.FromResult<(IReadOnlyList<WriteOp>, VpcRecord)>(
            ([Documents.Put(NetworkKinds.Vpc, vpc.Id, vpc, WriteOp.MustNotExist), .. PutGroup(Documents, group, WriteOp.MustNotExist)], vpc)), ct);
    }

    /// <summary>Deletes a VPC with no subnets and no groups but its default one (which goes with it).</summary>
    public Task DeleteVpcAsync(string id, CancellationToken ct) => NetworkCommits.RunAsync(Documents.Store, async () =>
    {
        var vpc = await RequireVpcAsync(id, ct).ConfigureAwait(false);
        if (vpc.Value.IsDefault)
        {
            throw NetworkErrors.NotPermitted($"The default VPC '{id}' is Gantry's own network and cannot be deleted.");
        }
        var groups = (await Documents.ListAllAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, null, ct).ConfigureAwait(false))
            .Where(g => g.Value.VpcId == id).ToList();
        if (groups.Any(g => !g.Value.IsDefault) || (await directory.SubnetsAsync(ct).ConfigureAwait(false)).Any(s => s.VpcId == id))
        {
            throw NetworkErrors.DependencyViolation($"The vpc '{id}' has dependencies and cannot be deleted.");
        }
        IReadOnlyList<WriteOp> writes = [new DeleteOp(NetworkKinds.Vpc, id, vpc.Version), .. groups.SelectMany(g => DeleteGroup(g))];
        return (writes, true);
    }, ct);

    public Task<SubnetRecord> CreateSubnetAsync(string? vpcId, string? cidrBlock, string? zone, IReadOnlyList<NetworkTag> tags, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(vpcId))
        {
            throw NetworkErrors.Missing("vpcId");
        }
        if (string.IsNullOrEmpty(cidrBlock))
        {
            throw NetworkErrors.Missing("cidrBlock");
        }
        if (!SubnetAddresses.TryParse(cidrBlock, out var cidr))
        {
            throw NetworkErrors.InvalidValue(cidrBlock, "cidrBlock", "This is not a valid CIDR block.");
        }
        var id = NetworkIds.New(NetworkIds.Subnet);
        return NetworkCommits.RunAsync(Documents.Store, async () =>
        {
            var vpc = await RequireVpcAsync(vpcId, ct).ConfigureAwait(false);
            var zones = await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
            var placed = zone ?? zones[0];
            if (!zones.Contains(placed, StringComparer.Ordinal))
            {
                throw NetworkErrors.InvalidValue(placed, "availabilityZone",
                    $"Subnets can currently only be created in the following availability zones: {string.Join(", ", zones)}.");
            }
            if (cidr.PrefixLength is < MinPrefixLength or > MaxPrefixLength || !SubnetAddresses.Contains(IPNetwork.Parse(vpc.Value.CidrBlock), cidr))
            {
                throw new Domain.Errors.AwsException("InvalidSubnet.Range", $"The CIDR '{cidrBlock}' is invalid.");
            }
            if ((await directory.SubnetsAsync(ct).ConfigureAwait(false)).Any(s => s.VpcId == vpcId && SubnetAddresses.Overlap(IPNetwork.Parse(s.CidrBlock), cidr)))
            {
                throw new Domain.Errors.AwsException("InvalidSubnet.Conflict", $"The CIDR '{cidrBlock}' conflicts with another subnet");
            }
            var subnet = new SubnetRecord(id, vpcId, cidr.ToString(), placed, DefaultForAz: false, MapPublicIpOnLaunch: false, tags);
            IReadOnlyList<WriteOp> writes =
                [Documents.Put(NetworkKinds.Subnet, id, subnet, WriteOp.MustNotExist), NetworkCommits.Touch(Documents, NetworkKinds.Vpc, vpcId, vpc)];
            return (writes, subnet);
        }, ct);
    }

    /// <summary>Deletes a subnet no interface is in.</summary>
    public Task DeleteSubnetAsync(string id, CancellationToken ct) => NetworkCommits.RunAsync(Documents.Store, async () =>
    {
        var subnet = await Documents.GetAsync<SubnetRecord>(NetworkKinds.Subnet, id, ct).ConfigureAwait(false) ?? throw NetworkErrors.SubnetNotFound(id);
        if ((await directory.InterfacesAsync(ct).ConfigureAwait(false)).Any(i => i.SubnetId == id))
        {
            throw NetworkErrors.DependencyViolation($"The subnet '{id}' has dependencies and cannot be deleted.");
        }
        return ((IReadOnlyList<WriteOp>)[new DeleteOp(NetworkKinds.Subnet, id, subnet.Version)], true);
    }, ct);

    /// <summary>A group with EC2's starting rule: egress to everywhere, no ingress.</summary>
    public Task<SecurityGroupRecord> CreateSecurityGroupAsync(string vpcId, string name, string description, IReadOnlyList<NetworkTag> tags, CancellationToken ct)
    {
        var group = new SecurityGroupRecord(NetworkIds.New(NetworkIds.SecurityGroup), name, description, vpcId, [AllowAllEgress()], tags);
        return NetworkCommits.RunAsync(Documents.Store, async () =>
        {
            var vpc = await RequireVpcAsync(vpcId, ct).ConfigureAwait(false);
            if (await Documents.GetAsync<string>(NetworkKinds.SecurityGroupName, NetworkKinds.GroupNameKey(vpcId, name), ct).ConfigureAwait(false) is not null)
            {
                throw NetworkErrors.GroupDuplicate(name, vpcId);
            }
            IReadOnlyList<WriteOp> writes = [.. PutGroup(Documents, group, WriteOp.MustNotExist), NetworkCommits.Touch(Documents, NetworkKinds.Vpc, vpcId, vpc)];
            return (writes, group);
        }, ct);
    }

    /// <summary>Deletes a group that is not its VPC's default, that no interface has and no other group's rule names.</summary>
    public Task<SecurityGroupRecord> DeleteSecurityGroupAsync(string id, CancellationToken ct) => NetworkCommits.RunAsync(Documents.Store, async () =>
    {
        var group = await Documents.GetAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, id, ct).ConfigureAwait(false) ?? throw NetworkErrors.GroupNotFound(id);
        if (group.Value.IsDefault)
        {
            throw new Domain.Errors.AwsException("CannotDelete", $"the specified group: \"{id}\" name: \"default\" cannot be deleted by a user");
        }
        // Read before the interfaces: an interface made after that re-puts its subnet, and re-putting the VPC's subnets as
        // read makes this delete conflict then (and look again).
        var subnets = (await Documents.ListAllAsync<SubnetRecord>(NetworkKinds.Subnet, null, ct).ConfigureAwait(false)).Where(s => s.Value.VpcId == group.Value.VpcId).ToList();
        var usedByInterface = (await directory.InterfacesAsync(ct).ConfigureAwait(false)).Any(i => i.SecurityGroupIds.Contains(id, StringComparer.Ordinal));
        var namedByRule = (await directory.SecurityGroupsAsync(ct).ConfigureAwait(false))
            .Any(g => g.Id != id && g.Rules.Any(r => r.ReferencedGroupId == id));
        if (usedByInterface || namedByRule)
        {
            throw NetworkErrors.DependencyViolation($"resource {id} has a dependent object");
        }
        return ((IReadOnlyList<WriteOp>)[.. DeleteGroup(group), .. subnets.Select(s => NetworkCommits.Touch(Documents, NetworkKinds.Subnet, s.Value.Id, s))], group.Value);
    }, ct);

    /// <summary>Changes a group's rules (<paramref name="change"/> may throw the EC2 error it finds); returns the group as stored.</summary>
    public Task<SecurityGroupRecord> UpdateGroupAsync(string id, Func<SecurityGroupRecord, SecurityGroupRecord> change, CancellationToken ct) =>
        NetworkCommits.RunAsync(Documents.Store, async () =>
        {
            var group = await Documents.GetAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, id, ct).ConfigureAwait(false) ?? throw NetworkErrors.GroupNotFound(id);
            var next = change(group.Value);
            return ((IReadOnlyList<WriteOp>)[Documents.Put(NetworkKinds.SecurityGroup, id, next, group.Version)], next);
        }, ct);

    /// <summary>Changes the tags of a VPC, subnet, group or interface, chosen by the id's prefix (true once changed).</summary>
    public Task<bool> UpdateTagsAsync(string resourceId, Func<IReadOnlyList<NetworkTag>, IReadOnlyList<NetworkTag>> change, CancellationToken ct) =>
        resourceId switch
        {
            _ when resourceId.StartsWith("vpc-", StringComparison.Ordinal) =>
                Retag<VpcRecord>(NetworkKinds.Vpc, resourceId, NetworkErrors.VpcNotFound, r => r with { Tags = change(r.Tags) }, ct),
            _ when resourceId.StartsWith("subnet-", StringComparison.Ordinal) =>
                Retag<SubnetRecord>(NetworkKinds.Subnet, resourceId, NetworkErrors.SubnetNotFound, r => r with { Tags = change(r.Tags) }, ct),
            _ when resourceId.StartsWith("sg-", StringComparison.Ordinal) =>
                Retag<SecurityGroupRecord>(NetworkKinds.SecurityGroup, resourceId, NetworkErrors.GroupNotFound, r => r with { Tags = change(r.Tags) }, ct),
            _ when resourceId.StartsWith("eni-", StringComparison.Ordinal) =>
                Retag<NetworkInterfaceRecord>(NetworkKinds.NetworkInterface, resourceId, NetworkErrors.InterfaceNotFound, r => r with { Tags = change(r.Tags ?? []) }, ct),
            _ => throw NetworkErrors.InvalidId(resourceId),
        };

    /// <summary>The default group of a new VPC: ingress from itself, egress to everywhere.</summary>
    public static SecurityGroupRecord DefaultGroupOf(string vpcId, string groupId) =>
        new(groupId, SecurityGroupRecord.DefaultName, "default VPC security group", vpcId,
            [new SecurityGroupRuleRecord(NetworkIds.New(NetworkIds.SecurityGroupRule), IsEgress: false, "-1", null, null, null, groupId, null), AllowAllEgress()], []);

    /// <summary>A group and its name in its VPC.</summary>
    public static IEnumerable<WriteOp> PutGroup(Documents documents, SecurityGroupRecord group, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(group);
        yield return documents.Put(NetworkKinds.SecurityGroup, group.Id, group, expectedVersion);
        yield return documents.Put(NetworkKinds.SecurityGroupName, NetworkKinds.GroupNameKey(group.VpcId, group.Name), group.Id, WriteOp.MustNotExist);
    }

    private static SecurityGroupRuleRecord AllowAllEgress() =>
        new(NetworkIds.New(NetworkIds.SecurityGroupRule), IsEgress: true, "-1", null, null, "0.0.0.0/0", null, null);

    private static IEnumerable<WriteOp> DeleteGroup(Versioned<SecurityGroupRecord> group)
    {
        yield return new DeleteOp(NetworkKinds.SecurityGroup, group.Value.Id, group.Version);
        yield return new DeleteOp(NetworkKinds.SecurityGroupName, NetworkKinds.GroupNameKey(group.Value.VpcId, group.Value.Name));
    }

    private async Task<Versioned<VpcRecord>> RequireVpcAsync(string id, CancellationToken ct)
    {
        await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
        return await Documents.GetAsync<VpcRecord>(NetworkKinds.Vpc, id, ct).ConfigureAwait(false) ?? throw NetworkErrors.VpcNotFound(id);
    }

    private Task<bool> Retag<T>(string kind, string id, Func<string, Domain.Errors.AwsException> notFound, Func<T, T> change, CancellationToken ct) where T : class =>
        NetworkCommits.RunAsync(Documents.Store, async () =>
        {
            var found = await Documents.GetAsync<T>(kind, id, ct).ConfigureAwait(false) ?? throw notFound(id);
            return ((IReadOnlyList<WriteOp>)[Documents.Put(kind, id, change(found.Value), found.Version)], true);
        }, ct);
}
