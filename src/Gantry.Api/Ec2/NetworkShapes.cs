using System.Net;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>Stored network records as EC2 answers them (ARNs, owner, states and the fixed parts Gantry does not vary).</summary>
internal sealed class NetworkShapes(AwsAccount account)
{
    public string OwnerId => account.AccountId;

    public string Arn(string resource) => $"arn:{account.Partition}:ec2:{account.Region}:{account.AccountId}:{resource}";

    public Vpc Vpc(VpcRecord vpc) => new()
    {
        VpcId = vpc.Id,
        CidrBlock = vpc.CidrBlock,
        State = "available",
        IsDefault = vpc.IsDefault,
        OwnerId = OwnerId,
        InstanceTenancy = "default",
        DhcpOptionsId = "default",
        CidrBlockAssociationSet =
        [
            new VpcCidrBlockAssociation
            {
                AssociationId = "vpc-cidr-assoc-" + vpc.Id["vpc-".Length..],
                CidrBlock = vpc.CidrBlock,
                CidrBlockState = new VpcCidrBlockState { State = "associated" },
            },
        ],
        Tags = Ec2Tags.ToWire(vpc.Tags),
    };

    /// <param name="interfaces">How many interfaces hold an address of the subnet.</param>
    public Subnet Subnet(SubnetRecord subnet, int interfaces) => new()
    {
        SubnetId = subnet.Id,
        SubnetArn = Arn("subnet/" + subnet.Id),
        VpcId = subnet.VpcId,
        CidrBlock = subnet.CidrBlock,
        AvailabilityZone = subnet.AvailabilityZone,
        AvailabilityZoneId = AvailabilityZones.ZoneId(subnet.AvailabilityZone),
        AvailableIpAddressCount = SubnetAddresses.UsableCount(IPNetwork.Parse(subnet.CidrBlock)) - interfaces,
        DefaultForAz = subnet.DefaultForAz,
        MapPublicIpOnLaunch = subnet.MapPublicIpOnLaunch,
        MapCustomerOwnedIpOnLaunch = false,
        State = "available",
        OwnerId = OwnerId,
        Tags = Ec2Tags.ToWire(subnet.Tags),
    };

    public SecurityGroup Group(SecurityGroupRecord group) => new()
    {
        GroupId = group.Id,
        GroupName = group.Name,
        Description = group.Description,
        VpcId = group.VpcId,
        OwnerId = OwnerId,
        SecurityGroupArn = Arn("security-group/" + group.Id),
        IpPermissions = Permissions(group.Rules.Where(r => !r.IsEgress)),
        IpPermissionsEgress = Permissions(group.Rules.Where(r => r.IsEgress)),
        Tags = Ec2Tags.ToWire(group.Tags),
    };

    /// <summary>Rules as EC2 lists them in a group: one IpPermission per protocol and port range, with its sources.</summary>
    public IReadOnlyList<IpPermission> Permissions(IEnumerable<SecurityGroupRuleRecord> rules) =>
    [
        .. rules.GroupBy(r => (r.IpProtocol, r.FromPort, r.ToPort)).Select(g => new IpPermission
        {
            IpProtocol = g.Key.IpProtocol,
            FromPort = g.Key.FromPort,
            ToPort = g.Key.ToPort,
            IpRanges = [.. g.Where(r => r.CidrIpv4 is not null).Select(r => new IpRange { CidrIp = r.CidrIpv4, Description = r.Description })],
            UserIdGroupPairs = [.. g.Where(r => r.ReferencedGroupId is not null)
                .Select(r => new UserIdGroupPair { GroupId = r.ReferencedGroupId, UserId = OwnerId, Description = r.Description })],
            Ipv6Ranges = [],
            PrefixListIds = [],
        }),
    ];

    public SecurityGroupRule Rule(SecurityGroupRecord group, SecurityGroupRuleRecord rule) => new()
    {
        SecurityGroupRuleId = rule.Id,
        SecurityGroupRuleArn = Arn("security-group-rule/" + rule.Id),
        GroupId = group.Id,
        GroupOwnerId = OwnerId,
        IsEgress = rule.IsEgress,
        IpProtocol = rule.IpProtocol,
        FromPort = rule.FromPort ?? -1,
        ToPort = rule.ToPort ?? -1,
        CidrIpv4 = rule.CidrIpv4,
        ReferencedGroupInfo = rule.ReferencedGroupId is { } referenced ? new ReferencedSecurityGroup { GroupId = referenced, UserId = OwnerId } : null,
        Description = rule.Description,
        Tags = [],
    };

    public static RevokedSecurityGroupRule Revoked(SecurityGroupRecord group, SecurityGroupRuleRecord rule) => new()
    {
        SecurityGroupRuleId = rule.Id,
        GroupId = group.Id,
        IsEgress = rule.IsEgress,
        IpProtocol = rule.IpProtocol,
        FromPort = rule.FromPort ?? -1,
        ToPort = rule.ToPort ?? -1,
        CidrIpv4 = rule.CidrIpv4,
        ReferencedGroupId = rule.ReferencedGroupId,
        Description = rule.Description,
    };

    /// <param name="groupNames">Every group's name by id, for the interface's Groups.</param>
    public NetworkInterface Interface(NetworkInterfaceRecord eni, IReadOnlyDictionary<string, string> groupNames) => new()
    {
        NetworkInterfaceId = eni.Id,
        SubnetId = eni.SubnetId,
        VpcId = eni.VpcId,
        AvailabilityZone = eni.AvailabilityZone,
        AvailabilityZoneId = AvailabilityZones.ZoneId(eni.AvailabilityZone),
        Description = eni.Description,
        InterfaceType = eni.InterfaceType,
        OwnerId = OwnerId,
        RequesterId = eni.RequesterId,
        RequesterManaged = eni.RequesterManaged,
        Status = eni.Status,
        SourceDestCheck = true,
        MacAddress = eni.MacAddress ?? MacAddress(eni.Id),
        PrivateIpAddress = eni.PrivateIpAddress,
        PrivateIpAddresses = [new NetworkInterfacePrivateIpAddress { PrivateIpAddress = eni.PrivateIpAddress, Primary = true }],
        Groups = [.. eni.SecurityGroupIds.Select(id => new GroupIdentifier { GroupId = id, GroupName = groupNames.GetValueOrDefault(id) })],
        TagSet = Ec2Tags.ToWire(eni.Tags),
    };

    /// <summary>A locally administered MAC address drawn from the interface's id (stable, distinct per interface).</summary>
    private static string MacAddress(string interfaceId)
    {
        var hex = interfaceId[^10..];
        return "02:" + string.Join(':', Enumerable.Range(0, 5).Select(i => hex.Substring(i * 2, 2)));
    }
}
