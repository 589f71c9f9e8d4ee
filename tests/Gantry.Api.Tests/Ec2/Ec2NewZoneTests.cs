using Gantry.Api.Tests.Elbv2;
using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;
using Gantry.Store;

namespace Gantry.Api.Tests.Ec2;

/// <summary>Zones come from the container instances: a new one gets the next free /20 of the default VPC (a host of its own, as it adds a zone).</summary>
public sealed class Ec2NewZoneTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task A_zone_a_container_instance_reports_gets_the_next_default_subnet_when_it_first_appears()
    {
        var documents = new Documents(host.Store, AwsJson.Options);
        var instance = new ContainerInstance { Attributes = [new EcsAttribute { Name = "ecs.availability-zone", Value = "us-east-1b" }] };
        await host.Store.CommitAsync([documents.Put(Kinds.ContainerInstance, Kinds.InCluster("zones", "i-1"), instance, WriteOp.MustNotExist)], default);

        var zones = (await _aws.OkAsync("ec2", "describe-availability-zones")).GetProperty("AvailabilityZones").EnumerateArray()
            .Select(z => (z.GetProperty("ZoneName").GetString(), z.GetProperty("ZoneId").GetString()));
        Assert.Equal([("us-east-1a", "use1-az1"), ("us-east-1b", "use1-az2")], zones);
        var subnets = (await _aws.OkAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true", "Name=availability-zone,Values=us-east-1b"))
            .GetProperty("Subnets");
        Assert.Equal("172.31.16.0/20", Assert.Single(subnets.EnumerateArray()).GetProperty("CidrBlock").GetString());
        Assert.Equal(2, (await _aws.OkAsync("ec2", "describe-subnets")).GetProperty("Subnets").GetArrayLength());
    }
}
