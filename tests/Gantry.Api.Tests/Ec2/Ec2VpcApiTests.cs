using Gantry.Api.Tests.Elbv2;

namespace Gantry.Api.Tests.Ec2;

/// <summary>CreateVpc, CreateSubnet, their deletes, tags and EC2's errors, through the real AWS CLI.</summary>
public sealed class Ec2VpcApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task Subnets_must_fit_inside_their_VPC_without_overlap_and_a_VPC_with_subnets_cannot_be_deleted()
    {
        var vpc = (await _aws.OkAsync("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")).GetProperty("Vpc");
        var vpcId = vpc.GetProperty("VpcId").GetString()!;
        Assert.Matches("^vpc-[0-9a-f]{17}$", vpcId);
        Assert.False(vpc.GetProperty("IsDefault").GetBoolean());

        var subnet = (await _aws.OkAsync("ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.0.1.0/24")).GetProperty("Subnet");
        var subnetId = subnet.GetProperty("SubnetId").GetString()!;
        Assert.Matches("^subnet-[0-9a-f]{17}$", subnetId);
        Assert.Equal(("us-east-1a", 251, false), (subnet.GetProperty("AvailabilityZone").GetString(), subnet.GetProperty("AvailableIpAddressCount").GetInt32(),
            subnet.GetProperty("DefaultForAz").GetBoolean()));

        Assert.Equal("The CIDR '10.0.1.128/25' conflicts with another subnet",
            await _aws.FailsAsync("InvalidSubnet.Conflict", "ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.0.1.128/25"));
        Assert.Equal("The CIDR '10.1.0.0/24' is invalid.",
            await _aws.FailsAsync("InvalidSubnet.Range", "ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.1.0.0/24"));
        Assert.Equal($"The vpc '{vpcId}' has dependencies and cannot be deleted.",
            await _aws.FailsAsync("DependencyViolation", "ec2", "delete-vpc", "--vpc-id", vpcId));

        var inVpc = (await _aws.OkAsync("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpcId}")).GetProperty("Subnets");
        Assert.Equal(subnetId, Assert.Single(inVpc.EnumerateArray()).GetProperty("SubnetId").GetString());

        await _aws.OkAsync("ec2", "delete-subnet", "--subnet-id", subnetId);
        await _aws.OkAsync("ec2", "delete-vpc", "--vpc-id", vpcId);
        Assert.Equal($"The vpc ID '{vpcId}' does not exist", await _aws.FailsAsync("InvalidVpcID.NotFound", "ec2", "describe-vpcs", "--vpc-ids", vpcId));
    }

    [Fact]
    public async Task Unknown_ids_answer_EC2s_NotFound_codes_and_unknown_filters_are_invalid()
    {
        Assert.Equal("The vpc ID 'vpc-123' does not exist", await _aws.FailsAsync("InvalidVpcID.NotFound", "ec2", "delete-vpc", "--vpc-id", "vpc-123"));
        Assert.Equal("The subnet ID 'subnet-123' does not exist",
            await _aws.FailsAsync("InvalidSubnetID.NotFound", "ec2", "describe-subnets", "--subnet-ids", "subnet-123"));
        Assert.Equal("The vpc ID 'vpc-123' does not exist",
            await _aws.FailsAsync("InvalidVpcID.NotFound", "ec2", "create-subnet", "--vpc-id", "vpc-123", "--cidr-block", "10.0.0.0/24"));
        Assert.Equal("The filter 'bogus' is invalid", await _aws.FailsAsync("InvalidParameterValue", "ec2", "describe-vpcs", "--filters", "Name=bogus,Values=x"));
        Assert.Equal("Value (10.0.0.1/16) for parameter cidrBlock is invalid. This is not a valid CIDR block.",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-vpc", "--cidr-block", "10.0.0.1/16"));
    }

    [Fact]
    public async Task Tags_are_set_found_by_filters_described_and_removed()
    {
        var vpcId = (await _aws.OkAsync("ec2", "create-vpc", "--cidr-block", "10.9.0.0/16", "--tag-specifications",
            "ResourceType=vpc,Tags=[{Key=team,Value=net}]")).GetProperty("Vpc").GetProperty("VpcId").GetString()!;
        await _aws.OkAsync("ec2", "create-tags", "--resources", vpcId, "--tags", "Key=env,Value=prod");

        var tagged = (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=tag:env,Values=prod")).GetProperty("Vpcs");
        var vpc = Assert.Single(tagged.EnumerateArray());
        Assert.Equal(["env=prod", "team=net"], vpc.GetProperty("Tags").EnumerateArray()
            .Select(t => $"{t.GetProperty("Key").GetString()}={t.GetProperty("Value").GetString()}").Order(StringComparer.Ordinal));
        var described = (await _aws.OkAsync("ec2", "describe-tags", "--filters", $"Name=resource-id,Values={vpcId}", "Name=key,Values=env")).GetProperty("Tags");
        Assert.Equal(("vpc", "prod"), (Assert.Single(described.EnumerateArray()).GetProperty("ResourceType").GetString(), described[0].GetProperty("Value").GetString()));

        await _aws.OkAsync("ec2", "delete-tags", "--resources", vpcId, "--tags", "Key=env");
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=tag:env,Values=prod")).GetProperty("Vpcs").GetArrayLength());
        Assert.Equal("The vpc ID 'vpc-0000000000000dead' does not exist",
            await _aws.FailsAsync("InvalidVpcID.NotFound", "ec2", "create-tags", "--resources", "vpc-0000000000000dead", "--tags", "Key=a,Value=b"));
    }

    [Fact]
    public async Task Tags_beyond_EC2s_limits_are_refused_and_leave_the_resource_as_it_was()
    {
        var vpcId = (await _aws.OkAsync("ec2", "create-vpc", "--cidr-block", "10.8.0.0/16")).GetProperty("Vpc").GetProperty("VpcId").GetString()!;
        await _aws.OkAsync("ec2", "create-tags", "--resources", vpcId, "--tags", $"Key={new string('k', 128)},Value={new string('v', 256)}");

        Assert.Equal("Tag key exceeds the maximum length of 128 characters",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-tags", "--resources", vpcId, "--tags", $"Key={new string('k', 129)},Value=v"));
        Assert.Equal("Tag value exceeds the maximum length of 256 characters",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-tags", "--resources", vpcId, "--tags", $"Key=k,Value={new string('v', 257)}"));
        Assert.Equal("Tag keys starting with 'aws:' are reserved for internal use",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-tags", "--resources", vpcId, "--tags", "Key=aws:owner,Value=me"));
        Assert.Equal("Tag key must not be empty.",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-vpc", "--cidr-block", "10.7.0.0/16", "--tag-specifications", "ResourceType=vpc,Tags=[{Key=,Value=v}]"));
        var fifty = Enumerable.Range(0, 50).Select(i => $"Key=t{i},Value=v").ToArray();
        Assert.StartsWith("The maximum number of Tags for a resource has been reached",
            await _aws.FailsAsync("TagLimitExceeded", ["ec2", "create-tags", "--resources", vpcId, "--tags", .. fifty]));

        var tags = (await _aws.OkAsync("ec2", "describe-tags", "--filters", $"Name=resource-id,Values={vpcId}")).GetProperty("Tags");
        Assert.Equal([new string('k', 128)], tags.EnumerateArray().Select(t => t.GetProperty("Key").GetString()));
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.7.0.0/16")).GetProperty("Vpcs").GetArrayLength());
    }
    [Fact]
    public async Task CreateVpc_takes_default_tenancy_and_refuses_dedicated_tenancy_IPv6_and_IPAM_creating_nothing()
    {
        string[] create = ["ec2", "create-vpc", "--cidr-block", "10.60.0.0/16"];
        Assert.Equal("InstanceTenancy 'dedicated' is not supported by Gantry: it has no dedicated hardware; use default.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--instance-tenancy", "dedicated"]));
        Assert.Equal("Value (host) for parameter instanceTenancy is invalid. Valid values are default and dedicated.",
            await _aws.FailsAsync("InvalidParameterValue", [.. create, "--instance-tenancy", "host"]));
        Assert.Equal("Value (shared) for parameter instanceTenancy is invalid. Valid values are default and dedicated.",
            await _aws.FailsAsync("InvalidParameterValue", [.. create, "--instance-tenancy", "shared"]));
        Assert.Equal("AmazonProvidedIpv6CidrBlock is not supported by Gantry: its networks are IPv4 only.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--amazon-provided-ipv6-cidr-block"]));
        Assert.Equal("Ipv6CidrBlock is not supported by Gantry: its networks are IPv4 only.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--ipv6-pool", "", "--ipv6-cidr-block", "2600:1f18::/56"]));
        Assert.Equal("Ipv6IpamPoolId is not supported by Gantry: its networks are IPv4 only.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--ipv6-ipam-pool-id", "ipam-pool-1", "--ipv6-netmask-length", "56"]));
        Assert.Equal("Ipv4IpamPoolId is not supported by Gantry: it has no IP Address Manager; give CidrBlock.",
            await _aws.FailsAsync("InvalidParameter", "ec2", "create-vpc", "--ipv4-ipam-pool-id", "ipam-pool-1", "--ipv4-netmask-length", "16"));
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.60.0.0/16")).GetProperty("Vpcs").GetArrayLength());

        var vpc = (await _aws.OkAsync([.. create, "--instance-tenancy", "default"])).GetProperty("Vpc");
        Assert.Equal("default", vpc.GetProperty("InstanceTenancy").GetString());
    }

    [Fact]
    public async Task CreateSubnet_honours_a_zone_id_that_agrees_and_refuses_IPv6_Outposts_and_a_disagreeing_zone_id()
    {
        var vpcId = (await _aws.OkAsync("ec2", "create-vpc", "--cidr-block", "10.61.0.0/16")).GetProperty("Vpc").GetProperty("VpcId").GetString()!;
        string[] create = ["ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", "10.61.1.0/24"];
        Assert.Equal("Ipv6CidrBlock is not supported by Gantry: its networks are IPv4 only.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--ipv6-cidr-block", "2600:1f18::/64"]));
        Assert.Equal("Ipv6Native is not supported by Gantry: its networks are IPv4 only.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--ipv6-native"]));
        Assert.Equal("OutpostArn is not supported by Gantry: it has no Outposts.",
            await _aws.FailsAsync("InvalidParameter", [.. create, "--outpost-arn", "arn:aws:outposts:us-east-1:123456789012:outpost/op-1"]));
        Assert.Equal("The availability zone 'us-east-1b' and the availability zone ID 'use1-az1' (us-east-1a) do not name the same zone.",
            await _aws.FailsAsync("InvalidParameterCombination", [.. create, "--availability-zone", "us-east-1b", "--availability-zone-id", "use1-az1"]));
        Assert.StartsWith("Value (use1-az9) for parameter availabilityZoneId is invalid.",
            await _aws.FailsAsync("InvalidParameterValue", [.. create, "--availability-zone-id", "use1-az9"]), StringComparison.Ordinal);
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-subnets", "--filters", $"Name=vpc-id,Values={vpcId}")).GetProperty("Subnets").GetArrayLength());

        var subnet = (await _aws.OkAsync([.. create, "--availability-zone", "us-east-1a", "--availability-zone-id", "use1-az1"])).GetProperty("Subnet");
        Assert.Equal(("us-east-1a", "use1-az1"), (subnet.GetProperty("AvailabilityZone").GetString(), subnet.GetProperty("AvailabilityZoneId").GetString()));
    }

    [Fact]
    public async Task TagSpecifications_of_another_resource_type_or_none_are_refused_creating_nothing()
    {
        Assert.Equal("'subnet' is not a valid taggable resource type for this operation.",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-vpc", "--cidr-block", "10.62.0.0/16", "--tag-specifications",
                "ResourceType=subnet,Tags=[{Key=a,Value=b}]"));
        Assert.Equal("'bogus' is not a valid taggable resource type for this operation.",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-vpc", "--cidr-block", "10.62.0.0/16", "--tag-specifications",
                "ResourceType=vpc,Tags=[{Key=a,Value=b}]", "ResourceType=bogus,Tags=[{Key=c,Value=d}]"));
        Assert.Equal("Tag specification resource type must have a value",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-vpc", "--cidr-block", "10.62.0.0/16", "--tag-specifications", "Tags=[{Key=a,Value=b}]"));
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-vpcs", "--filters", "Name=cidr,Values=10.62.0.0/16")).GetProperty("Vpcs").GetArrayLength());
        Assert.Equal("'vpc' is not a valid taggable resource type for this operation.",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-security-group", "--group-name", "tagged-wrong", "--description", "x",
                "--tag-specifications", "ResourceType=vpc,Tags=[{Key=a,Value=b}]"));
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-security-groups", "--filters", "Name=group-name,Values=tagged-wrong"))
            .GetProperty("SecurityGroups").GetArrayLength());
    }
}
