using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>Availability zones, VPCs and subnets: DescribeAvailabilityZones, Create/Describe/DeleteVpc(s), Create/Describe/DeleteSubnet(s).</summary>
public sealed class VpcOperations(NetworkDirectory directory, NetworkChanges changes)
{
    private static readonly Ec2Filters<AvailabilityZone> ZoneFilters = new(new Dictionary<string, Func<AvailabilityZone, IEnumerable<string?>>>(StringComparer.Ordinal)
    {
        ["zone-name"] = z => FilterValues.Of(z.ZoneName),
        ["zone-id"] = z => FilterValues.Of(z.ZoneId),
        ["region-name"] = z => FilterValues.Of(z.RegionName),
        ["state"] = z => FilterValues.Of(z.State),
        ["zone-type"] = z => FilterValues.Of(z.ZoneType),
        ["group-name"] = z => FilterValues.Of(z.GroupName),
        ["opt-in-status"] = z => FilterValues.Of(z.OptInStatus),
    });

    private static readonly Ec2Filters<VpcRecord> VpcFilters = new(new Dictionary<string, Func<VpcRecord, IEnumerable<string?>>>(StringComparer.Ordinal)
    {
        ["vpc-id"] = v => FilterValues.Of(v.Id),
        ["cidr"] = v => FilterValues.Of(v.CidrBlock),
        ["cidr-block-association.cidr-block"] = v => FilterValues.Of(v.CidrBlock),
        ["is-default"] = v => FilterValues.Of(v.IsDefault),
        ["isDefault"] = v => FilterValues.Of(v.IsDefault),
        ["state"] = _ => FilterValues.Of("available"),
        ["owner-id"] = _ => [],
    }, v => v.Tags);

    private static readonly Ec2Filters<SubnetRecord> SubnetFilters = new(new Dictionary<string, Func<SubnetRecord, IEnumerable<string?>>>(StringComparer.Ordinal)
    {
        ["subnet-id"] = s => FilterValues.Of(s.Id),
        ["vpc-id"] = s => FilterValues.Of(s.VpcId),
        ["cidr-block"] = s => FilterValues.Of(s.CidrBlock),
        ["cidr"] = s => FilterValues.Of(s.CidrBlock),
        ["cidrBlock"] = s => FilterValues.Of(s.CidrBlock),
        ["availability-zone"] = s => FilterValues.Of(s.AvailabilityZone),
        ["availabilityZone"] = s => FilterValues.Of(s.AvailabilityZone),
        ["availability-zone-id"] = s => FilterValues.Of(AvailabilityZones.ZoneId(s.AvailabilityZone)),
        ["default-for-az"] = s => FilterValues.Of(s.DefaultForAz),
        ["defaultForAz"] = s => FilterValues.Of(s.DefaultForAz),
        ["map-public-ip-on-launch"] = s => FilterValues.Of(s.MapPublicIpOnLaunch),
        ["state"] = _ => FilterValues.Of("available"),
        ["owner-id"] = _ => [],
    }, s => s.Tags);

    private readonly NetworkShapes _shapes = new(directory.Account);

    public async Task<DescribeAvailabilityZonesResult> DescribeAvailabilityZonesAsync(DescribeAvailabilityZonesRequest request, CancellationToken ct)
    {
        var region = directory.Account.Region;
        var zones = (await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false)).Select(name => new AvailabilityZone
        {
            ZoneName = name,
            ZoneId = AvailabilityZones.ZoneId(name),
            RegionName = region,
            State = "available",
            ZoneType = "availability-zone",
            OptInStatus = "opt-in-not-required",
            GroupName = region,
            GroupLongName = region,
            NetworkBorderGroup = region,
            Messages = [],
        }).ToList();
        var unknown = (request.ZoneNames ?? []).Where(n => !zones.Exists(z => z.ZoneName == n))
            .Concat((request.ZoneIds ?? []).Where(id => !zones.Exists(z => z.ZoneId == id))).ToList();
        if (unknown.Count > 0)
        {
            throw NetworkErrors.Invalid($"Invalid availability zone: [{string.Join(", ", unknown)}]");
        }
        var filter = ZoneFilters.Compile(request.Filters);
        return new DescribeAvailabilityZonesResult
        {
            AvailabilityZones = [.. zones.Where(z => (request.ZoneNames is null || request.ZoneNames.Contains(z.ZoneName!))
                && (request.ZoneIds is null || request.ZoneIds.Contains(z.ZoneId!)) && filter(z))],
        };
    }

    public async Task<DescribeVpcsResult> DescribeVpcsAsync(DescribeVpcsRequest request, CancellationToken ct)
    {
        var filter = VpcFilters.Compile(request.Filters);
        var vpcs = await directory.VpcsAsync(ct).ConfigureAwait(false);
        var chosen = Ec2Ids.Select(vpcs, v => v.Id, request.VpcIds, NetworkErrors.VpcNotFound);
        var (page, next) = Ec2Paging.Page(chosen.Where(filter), request.MaxResults, request.NextToken);
        return new DescribeVpcsResult { Vpcs = [.. page.Select(_shapes.Vpc)], NextToken = next };
    }

    /// <summary>
    /// An IPv4 VPC of default tenancy; IPv6, IPAM, encryption control and dedicated tenancy are refused (EC2 itself refuses
    /// tenancies other than default and dedicated).
    /// </summary>
    public async Task<CreateVpcResult> CreateVpcAsync(CreateVpcRequest request, CancellationToken ct)
    {
        Ec2Unsupported.Refuse(Ec2Unsupported.Ipv6, ("AmazonProvidedIpv6CidrBlock", request.AmazonProvidedIpv6CidrBlock), ("Ipv6Pool", request.Ipv6Pool),
            ("Ipv6CidrBlock", request.Ipv6CidrBlock), ("Ipv6CidrBlockNetworkBorderGroup", request.Ipv6CidrBlockNetworkBorderGroup),
            ("Ipv6IpamPoolId", request.Ipv6IpamPoolId), ("Ipv6NetmaskLength", request.Ipv6NetmaskLength));
        Ec2Unsupported.Refuse(Ec2Unsupported.Ipam, ("Ipv4IpamPoolId", request.Ipv4IpamPoolId), ("Ipv4NetmaskLength", request.Ipv4NetmaskLength));
        Ec2Unsupported.Refuse("its VPCs have no encryption controls.", ("VpcEncryptionControl", request.VpcEncryptionControl));
        switch (request.InstanceTenancy)
        {
            case null or "default":
                break;
            case "dedicated":
                throw NetworkErrors.NotSupported("InstanceTenancy 'dedicated'", "it has no dedicated hardware; use default.");
            default:
                throw NetworkErrors.InvalidValue(request.InstanceTenancy, "instanceTenancy", "Valid values are default and dedicated.");
        }
        var vpc = await changes.CreateVpcAsync(request.CidrBlock, Ec2Tags.FromSpecifications(request.TagSpecifications, "vpc"), ct).ConfigureAwait(false);
        return new CreateVpcResult { Vpc = _shapes.Vpc(vpc) };
    }

    public Task DeleteVpcAsync(DeleteVpcRequest request, CancellationToken ct) =>
        changes.DeleteVpcAsync(request.VpcId ?? throw NetworkErrors.Missing("vpcId"), ct);

    public async Task<DescribeSubnetsResult> DescribeSubnetsAsync(DescribeSubnetsRequest request, CancellationToken ct)
    {
        var filter = SubnetFilters.Compile(request.Filters);
        var subnets = await directory.SubnetsAsync(ct).ConfigureAwait(false);
        var chosen = Ec2Ids.Select(subnets, s => s.Id, request.SubnetIds, NetworkErrors.SubnetNotFound);
        var used = (await directory.InterfacesAsync(ct).ConfigureAwait(false)).CountBy(i => i.SubnetId).ToDictionary(StringComparer.Ordinal);
        var (page, next) = Ec2Paging.Page(chosen.Where(filter), request.MaxResults, request.NextToken);
        return new DescribeSubnetsResult { Subnets = [.. page.Select(s => _shapes.Subnet(s, used.GetValueOrDefault(s.Id)))], NextToken = next };
    }

    /// <summary>
    /// An IPv4 subnet in the zone named (by name or id; both must name the same zone); IPv6, IPAM and Outposts are refused.
    /// </summary>
    public async Task<CreateSubnetResult> CreateSubnetAsync(CreateSubnetRequest request, CancellationToken ct)
    {
        Ec2Unsupported.Refuse(Ec2Unsupported.Ipv6, ("Ipv6CidrBlock", request.Ipv6CidrBlock), ("Ipv6Native", request.Ipv6Native),
            ("Ipv6IpamPoolId", request.Ipv6IpamPoolId), ("Ipv6NetmaskLength", request.Ipv6NetmaskLength));
        Ec2Unsupported.Refuse(Ec2Unsupported.Ipam, ("Ipv4IpamPoolId", request.Ipv4IpamPoolId), ("Ipv4NetmaskLength", request.Ipv4NetmaskLength));
        Ec2Unsupported.Refuse("it has no Outposts.", ("OutpostArn", request.OutpostArn));
        var zone = request.AvailabilityZone;
        if (request.AvailabilityZoneId is { } zoneId)
        {
            var zones = await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
            var named = zones.FirstOrDefault(z => AvailabilityZones.ZoneId(z) == zoneId)
                ?? throw NetworkErrors.InvalidValue(zoneId, "availabilityZoneId",
                    $"Subnets can currently only be created in the following availability zones: {string.Join(", ", zones.Select(AvailabilityZones.ZoneId))}.");
            zone = zone is null || zone == named ? named
                : throw NetworkErrors.Combination($"The availability zone '{zone}' and the availability zone ID '{zoneId}' ({named}) do not name the same zone.");
        }
        var subnet = await changes.CreateSubnetAsync(request.VpcId, request.CidrBlock, zone, Ec2Tags.FromSpecifications(request.TagSpecifications, "subnet"), ct)
            .ConfigureAwait(false);
        return new CreateSubnetResult { Subnet = _shapes.Subnet(subnet, 0) };
    }

    public Task DeleteSubnetAsync(DeleteSubnetRequest request, CancellationToken ct) =>
        changes.DeleteSubnetAsync(request.SubnetId ?? throw NetworkErrors.Missing("subnetId"), ct);
}
