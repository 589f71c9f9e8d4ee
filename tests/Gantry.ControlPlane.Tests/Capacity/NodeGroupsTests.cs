using Gantry.ControlPlane.Capacity;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Tests.Capacity;

public class NodeGroupsTests
{
    private static readonly AwsAccount Account = AwsAccount.Default;

    [Theory]
    [InlineData("arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:6d2a1c4e-8a1f-4d3e-9b1a-0c9e5f1d2a3b:autoScalingGroupName/gpu-nodes", "gpu-nodes")]
    [InlineData("gpu-nodes", "gpu-nodes")]
    [InlineData("a.b_c-d@e", "a.b_c-d@e")]
    [InlineData("arn:aws:autoscaling:eu-west-1:000000000000:autoScalingGroup:6d2a1c4e-8a1f-4d3e-9b1a-0c9e5f1d2a3b:autoScalingGroupName/x", null)]
    [InlineData("arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:6d2a1c4e-8a1f-4d3e-9b1a-0c9e5f1d2a3b:autoScalingGroupName/x", null)]
    [InlineData("arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:not-a-uuid:autoScalingGroupName/x", null)]
    [InlineData("has space", null)]
    [InlineData("", null)]
    public void TryParse_reads_the_group_name_of_this_installations_arns_or_a_bare_name(string arn, string? expected)
    {
        var parsed = NodeGroups.TryParse(arn, Account, out var group);

        Assert.Equal(expected is not null, parsed);
        Assert.Equal(expected, group);
    }

    [Fact]
    public void The_arn_gantry_gives_a_group_parses_back()
    {
        Assert.True(NodeGroups.TryParse(NodeGroups.Arn(Account, "edge"), Account, out var group));
        Assert.Equal("edge", group);
    }

    [Fact]
    public void A_provider_matches_the_instances_of_its_node_group()
    {
        var record = new CapacityProviderRecord(new CapacityProvider { Name = "edge-cp", Status = "ACTIVE" }, "edge");
        ContainerInstance Instance(string? group) => new()
        {
            Attributes = group is null ? [] : [new EcsAttribute { Name = NodeGroups.Attribute, Value = group }],
        };

        Assert.True(record.Matches(Instance("edge")));
        Assert.False(record.Matches(Instance("core")));
        Assert.False(record.Matches(Instance(null)));
        Assert.True(record.Matches(new Dictionary<string, string?> { [NodeGroups.Attribute] = "edge" }));
    }
}
