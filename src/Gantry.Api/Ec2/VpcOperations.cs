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

    public async Task<CreateVpcResult> CreateVpcAsync(CreateVpcRequest request, CancellationToken ct)
    {
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

    public async Task<CreateSubnetResult> CreateSubnetAsync(CreateSubnetRequest request, CancellationToken ct)
    {
        var zone = request.AvailabilityZone ?? (request.AvailabilityZoneId is { } zoneId
            ? (await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false)).FirstOrDefault(z => AvailabilityZones.ZoneId(z) == zoneId) ?? zoneId
            : null);
        var subnet = await changes.CreateSubnetAsync(request.VpcId, request.CidrBlock, zone, Ec2Tags.FromSpecifications(request.TagSpecifications, "subnet"), ct)
            .ConfigureAwait(false);
        return new CreateSubnetResult { Subnet = _shapes.Subnet(subnet, 0) };
    }

    public Task DeleteSubnetAsync(DeleteSubnetRequest request, CancellationToken ct) =>
        changes.DeleteSubnetAsync(request.SubnetId ?? throw NetworkErrors.Missing("subnetId"), ct);
}
