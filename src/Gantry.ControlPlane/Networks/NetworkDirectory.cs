using System.Net;
using Gantry.Domain.Arns;
using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// Reads the stored networks (creating the default network on first use) and keeps network interfaces: what the EC2 API
/// answers from and what ECS asks when it places an awsvpc task (a subnet, its groups, an interface with a free address).
/// </summary>
public sealed class NetworkDirectory(Documents documents, AwsAccount account)
{
    private readonly DefaultNetwork _defaults = new(documents, new AvailabilityZones(documents, account), account);

    public Documents Documents => documents;

    public AwsAccount Account => account;

    /// <summary>The default VPC's id (the same on every replica of this account and region).</summary>
    public string DefaultVpcId => _defaults.VpcId;

    /// <summary>Makes the default VPC, its group and a default subnet for each zone that has none yet; returns the zones.</summary>
    public Task<IReadOnlyList<string>> EnsureDefaultNetworkAsync(CancellationToken ct) => _defaults.EnsureAsync(ct);

    public async Task<SubnetRecord?> FindSubnetAsync(string id, CancellationToken ct) =>
        (await documents.GetAsync<SubnetRecord>(NetworkKinds.Subnet, id, ct).ConfigureAwait(false))?.Value;

    public async Task<SecurityGroupRecord?> FindSecurityGroupAsync(string id, CancellationToken ct) =>
        (await documents.GetAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, id, ct).ConfigureAwait(false))?.Value;

    public async Task<VpcRecord?> FindVpcAsync(string id, CancellationToken ct) =>
        (await documents.GetAsync<VpcRecord>(NetworkKinds.Vpc, id, ct).ConfigureAwait(false))?.Value;

    public async Task<NetworkInterfaceRecord?> FindInterfaceAsync(string id, CancellationToken ct) =>
        (await documents.GetAsync<NetworkInterfaceRecord>(NetworkKinds.NetworkInterface, id, ct).ConfigureAwait(false))?.Value;

    /// <summary>The group named <c>default</c> of a VPC (every VPC has one from its creation).</summary>
    public async Task<SecurityGroupRecord> DefaultSecurityGroupAsync(string vpcId, CancellationToken ct)
    {
        await EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
        return await FindGroupByNameAsync(vpcId, SecurityGroupRecord.DefaultName, ct).ConfigureAwait(false) ?? throw NetworkErrors.VpcNotFound(vpcId);
    }

    /// <summary>The group of that name in a VPC, or null.</summary>
    public async Task<SecurityGroupRecord?> FindGroupByNameAsync(string vpcId, string name, CancellationToken ct) =>
        await documents.GetAsync<string>(NetworkKinds.SecurityGroupName, NetworkKinds.GroupNameKey(vpcId, name), ct).ConfigureAwait(false) is { } id
            ? await FindSecurityGroupAsync(id.Value, ct).ConfigureAwait(false)
            : null;

    /// <summary>The default VPC's default subnets (one per zone, unless the user deleted one), in zone order.</summary>
    public async Task<IReadOnlyList<SubnetRecord>> DefaultSubnetsAsync(CancellationToken ct)
    {
        await EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
        return [.. (await SubnetsAsync(ct).ConfigureAwait(false)).Where(s => s.DefaultForAz && s.VpcId == DefaultVpcId)
            .OrderBy(s => s.AvailabilityZone, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<VpcRecord>> VpcsAsync(CancellationToken ct) => Values(await documents.ListAllAsync<VpcRecord>(NetworkKinds.Vpc, null, ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<SubnetRecord>> SubnetsAsync(CancellationToken ct) =>
        Values(await documents.ListAllAsync<SubnetRecord>(NetworkKinds.Subnet, null, ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<SecurityGroupRecord>> SecurityGroupsAsync(CancellationToken ct) =>
        Values(await documents.ListAllAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, null, ct).ConfigureAwait(false));

    public async Task<IReadOnlyList<NetworkInterfaceRecord>> InterfacesAsync(CancellationToken ct) =>
        Values(await documents.ListAllAsync<NetworkInterfaceRecord>(NetworkKinds.NetworkInterface, null, ct).ConfigureAwait(false));

    /// <summary>
    /// Stores an interface (new or changed). Its subnet and groups must exist, and its address must be a usable one of the
    /// subnet that no other interface has; the subnet and groups are re-put at the versions read, so a racing
    /// DeleteSubnet/DeleteSecurityGroup or another interface taking the same address conflicts and decides again.
    /// </summary>
    public Task PutInterfaceAsync(NetworkInterfaceRecord networkInterface, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(networkInterface);
        return NetworkCommits.RunAsync(documents.Store, async () =>
        {
            var (subnet, groups, taken) = await AttachmentAsync(networkInterface.SubnetId, networkInterface.SecurityGroupIds, networkInterface.Id, ct)
                .ConfigureAwait(false);
            if (!IPAddress.TryParse(networkInterface.PrivateIpAddress, out var address)
                || !SubnetAddresses.TryParse(subnet.Value.CidrBlock, out var network)
                || !SubnetAddresses.Usable(network).Contains(address))
            {
                throw NetworkErrors.InvalidValue(networkInterface.PrivateIpAddress, "PrivateIpAddress",
                    $"Address does not fall within the subnet's address range {subnet.Value.CidrBlock}.");
            }
            if (taken.Contains(address))
            {
                throw new Domain.Errors.AwsException("InvalidIPAddress.InUse", $"Address {address} is in use.");
            }
            var record = networkInterface with { VpcId = subnet.Value.VpcId, AvailabilityZone = subnet.Value.AvailabilityZone };
            return (Writes(record, subnet, groups), true);
        }, ct);
    }

    /// <summary>
    /// Makes an interface for an awsvpc task in <paramref name="subnetId"/> with the first free address, described as ECS
    /// describes its attachments, <c>in-use</c> and managed by ECS.
    /// </summary>
    public Task<NetworkInterfaceRecord> CreateInterfaceAsync(string subnetId, IReadOnlyList<string> securityGroupIds, string? taskArn, CancellationToken ct)
    {
        var id = NetworkIds.New(NetworkIds.NetworkInterface);
        var description = $"arn:{account.Partition}:ecs:{account.Region}:{account.AccountId}:attachment/{Guid.NewGuid()}";
        return NetworkCommits.RunAsync(documents.Store, async () =>
        {
            var (subnet, groups, taken) = await AttachmentAsync(subnetId, securityGroupIds, id, ct).ConfigureAwait(false);
            var address = SubnetAddresses.Allocate(IPNetwork.Parse(subnet.Value.CidrBlock), taken)
                ?? throw new Domain.Errors.AwsException("InsufficientFreeAddressesInSubnet", $"Insufficient free IP addresses in subnet '{subnetId}'.");
            var record = new NetworkInterfaceRecord(id, subnetId, subnet.Value.VpcId, address.ToString(), securityGroupIds, taskArn, "in-use",
                subnet.Value.AvailabilityZone, description, RequesterId: account.AccountId);
            return (Writes(record, subnet, groups), record);
        }, ct);
    }

    /// <summary>Deletes an interface (absent: nothing to do).</summary>
    public async Task DeleteInterfaceAsync(string id, CancellationToken ct) =>
        await documents.Store.CommitAsync([new DeleteOp(NetworkKinds.NetworkInterface, id)], ct).ConfigureAwait(false);

    /// <summary>The subnet and groups an interface names (each must exist and be in the subnet's VPC) and the addresses other interfaces hold there.</summary>
    private async Task<(Versioned<SubnetRecord> Subnet, IReadOnlyList<Versioned<SecurityGroupRecord>> Groups, HashSet<IPAddress> Taken)> AttachmentAsync(
        string subnetId, IReadOnlyList<string> groupIds, string interfaceId, CancellationToken ct)
    {
        var subnet = await documents.GetAsync<SubnetRecord>(NetworkKinds.Subnet, subnetId, ct).ConfigureAwait(false) ?? throw NetworkErrors.SubnetNotFound(subnetId);
        var groups = new List<Versioned<SecurityGroupRecord>>();
        foreach (var groupId in groupIds.Distinct(StringComparer.Ordinal))
        {
            var group = await documents.GetAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, groupId, ct).ConfigureAwait(false);
            groups.Add(group is not null && group.Value.VpcId == subnet.Value.VpcId ? group : throw NetworkErrors.GroupNotFound(groupId));
        }
        var taken = (await InterfacesAsync(ct).ConfigureAwait(false)).Where(i => i.SubnetId == subnetId && i.Id != interfaceId)
            .Select(i => IPAddress.Parse(i.PrivateIpAddress)).ToHashSet();
        return (subnet, groups, taken);
    }

    private List<WriteOp> Writes(NetworkInterfaceRecord record, Versioned<SubnetRecord> subnet, IReadOnlyList<Versioned<SecurityGroupRecord>> groups) =>
    [
        documents.Put(NetworkKinds.NetworkInterface, record.Id, record, null),
        NetworkCommits.Touch(documents, NetworkKinds.Subnet, subnet.Value.Id, subnet),
        .. groups.Select(g => NetworkCommits.Touch(documents, NetworkKinds.SecurityGroup, g.Value.Id, g)),
    ];

    private static List<T> Values<T>(IReadOnlyList<Versioned<T>> found) => [.. found.Select(f => f.Value)];
}
