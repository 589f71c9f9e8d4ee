using System.Net;
using Gantry.Domain.Arns;
using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// Reads the stored networks (creating the default network on first use): what the EC2 API answers from and what ECS
/// checks an awsvpc launch against. Tasks' interfaces are made with the tasks (<see cref="InterfaceAllocation"/>).
/// </summary>
/// <param name="defaultVpcCidr">The default VPC's CIDR when it is made (default <see cref="Ec2DefaultVpcCidr"/>).</param>
public sealed class NetworkDirectory(Documents documents, AwsAccount account, IPNetwork? defaultVpcCidr = null)
{
    private readonly DefaultNetwork _defaults = new(documents, new AvailabilityZones(documents, account), account, defaultVpcCidr ?? Ec2DefaultVpcCidr);

    /// <summary>EC2's default VPC CIDR.</summary>
    public static readonly IPNetwork Ec2DefaultVpcCidr = IPNetwork.Parse("172.31.0.0/16");

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

    private static List<T> Values<T>(IReadOnlyList<Versioned<T>> found) => [.. found.Select(f => f.Value)];
}
