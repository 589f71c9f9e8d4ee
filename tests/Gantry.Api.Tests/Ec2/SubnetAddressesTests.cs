using System.Net;
using Gantry.ControlPlane.Networks;

namespace Gantry.Api.Tests.Ec2;

/// <summary>CIDR arithmetic: AWS's five reserved addresses, allocation, containment and zone ids.</summary>
public sealed class SubnetAddressesTests
{
    [Fact]
    public void A_subnet_reserves_its_first_four_and_its_last_address()
    {
        var usable = SubnetAddresses.Usable(IPNetwork.Parse("10.0.1.0/28")).Select(a => a.ToString()).ToList();
        Assert.Equal("10.0.1.4", usable[0]);
        Assert.Equal("10.0.1.14", usable[^1]);
        Assert.Equal(11, usable.Count);
        Assert.Equal(11, SubnetAddresses.UsableCount(IPNetwork.Parse("10.0.1.0/28")));
        Assert.Equal(4091, SubnetAddresses.UsableCount(IPNetwork.Parse("172.31.0.0/20")));
    }

    [Fact]
    public void Allocation_takes_the_first_free_usable_address_and_none_when_full()
    {
        var subnet = IPNetwork.Parse("10.0.1.0/28");
        Assert.Equal(IPAddress.Parse("10.0.1.4"), SubnetAddresses.Allocate(subnet, new HashSet<IPAddress>()));
        Assert.Equal(IPAddress.Parse("10.0.1.6"), SubnetAddresses.Allocate(subnet, new HashSet<IPAddress> { IPAddress.Parse("10.0.1.4"), IPAddress.Parse("10.0.1.5") }));
        Assert.Null(SubnetAddresses.Allocate(subnet, SubnetAddresses.Usable(subnet).ToHashSet()));
    }

    [Theory]
    [InlineData("10.0.0.0/16", true)]
    [InlineData("10.0.0.1/16", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("::/64", false)]
    [InlineData("nonsense", false)]
    public void Only_canonical_IPv4_CIDRs_parse(string cidr, bool parses) => Assert.Equal(parses, SubnetAddresses.TryParse(cidr, out _));

    [Fact]
    public void Containment_overlap_and_the_first_free_block()
    {
        var vpc = IPNetwork.Parse("172.31.0.0/16");
        Assert.True(SubnetAddresses.Contains(vpc, IPNetwork.Parse("172.31.16.0/20")));
        Assert.False(SubnetAddresses.Contains(IPNetwork.Parse("172.31.16.0/20"), vpc));
        Assert.True(SubnetAddresses.Overlap(IPNetwork.Parse("10.0.1.0/24"), IPNetwork.Parse("10.0.1.128/25")));
        Assert.Equal(IPNetwork.Parse("172.31.32.0/20"),
            SubnetAddresses.FirstFree(vpc, 20, [IPNetwork.Parse("172.31.0.0/20"), IPNetwork.Parse("172.31.16.0/24")]));
    }

    [Theory]
    [InlineData("us-east-1a", "use1-az1")]
    [InlineData("us-west-2c", "usw2-az3")]
    [InlineData("ap-southeast-2b", "apse2-az2")]
    [InlineData("eu-central-1a", "euc1-az1")]
    [InlineData("rack-7", "rack-7")]
    public void Zone_ids_follow_AWS_style(string zone, string id) => Assert.Equal(id, AvailabilityZones.ZoneId(zone));
}
