using Gantry.Api.Tests.Elbv2;

namespace Gantry.Api.Tests.Ec2;

/// <summary>The default network as the real AWS CLI sees it: a default VPC, its group, a default subnet per zone.</summary>
public sealed class Ec2DefaultNetworkTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task The_default_VPC_its_group_and_a_default_subnet_per_zone_exist_from_the_first_request()
    {
        var zone = Assert.Single((await _aws.OkAsync("ec2", "describe-availability-zones")).GetProperty("AvailabilityZones").EnumerateArray());
        Assert.Equal(("us-east-1a", "use1-az1", "available", "availability-zone", "us-east-1"), (zone.GetProperty("ZoneName").GetString(),
            zone.GetProperty("ZoneId").GetString(), zone.GetProperty("State").GetString(), zone.GetProperty("ZoneType").GetString(),
            zone.GetProperty("RegionName").GetString()));

        var vpc = Assert.Single((await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")).GetProperty("Vpcs").EnumerateArray());
        var vpcId = vpc.GetProperty("VpcId").GetString()!;
        Assert.Matches("^vpc-[0-9a-f]{17}$", vpcId);
        Assert.Equal(("172.31.0.0/16", true, "available"), (vpc.GetProperty("CidrBlock").GetString(), vpc.GetProperty("IsDefault").GetBoolean(),
            vpc.GetProperty("State").GetString()));

        var subnet = Assert.Single((await _aws.OkAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true")).GetProperty("Subnets").EnumerateArray());
        Assert.Equal(("172.31.0.0/20", "us-east-1a", vpcId, true, 4091), (subnet.GetProperty("CidrBlock").GetString(),
            subnet.GetProperty("AvailabilityZone").GetString(), subnet.GetProperty("VpcId").GetString(), subnet.GetProperty("MapPublicIpOnLaunch").GetBoolean(),
            subnet.GetProperty("AvailableIpAddressCount").GetInt32()));

        var group = Assert.Single((await _aws.OkAsync("ec2", "describe-security-groups", "--filters", $"Name=vpc-id,Values={vpcId}",
            "Name=group-name,Values=default")).GetProperty("SecurityGroups").EnumerateArray());
        var groupId = group.GetProperty("GroupId").GetString()!;
        var ingress = Assert.Single(group.GetProperty("IpPermissions").EnumerateArray());
        Assert.Equal(("-1", groupId), (ingress.GetProperty("IpProtocol").GetString(), ingress.GetProperty("UserIdGroupPairs")[0].GetProperty("GroupId").GetString()));
        var egress = Assert.Single(group.GetProperty("IpPermissionsEgress").EnumerateArray());
        Assert.Equal(("-1", "0.0.0.0/0"), (egress.GetProperty("IpProtocol").GetString(), egress.GetProperty("IpRanges")[0].GetProperty("CidrIp").GetString()));
    }
}
