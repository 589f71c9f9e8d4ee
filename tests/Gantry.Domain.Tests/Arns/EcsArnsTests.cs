using Gantry.Domain.Arns;

namespace Gantry.Domain.Tests.Arns;

public class EcsArnsTests
{
    private static readonly EcsArns Arns = new(new AwsAccount("eu-west-1", "123456789012"));

    [Theory]
    [InlineData("us-east-1", "aws")]
    [InlineData("eu-central-1", "aws")]
    [InlineData("cn-north-1", "aws-cn")]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("us-gov-east-1", "aws-us-gov")]
    public void The_partition_follows_the_region(string region, string partition)
    {
        var arns = new EcsArns(new AwsAccount(region, "123456789012"));

        Assert.Equal(partition, arns.Account.Partition);
        Assert.Equal($"arn:{partition}:ecs:{region}:123456789012:task/c/1", arns.Task("c", "1"));
        Assert.Equal($"arn:{partition}:iam::123456789012:root", arns.Account.Root);
        Assert.StartsWith($"arn:{partition}:ecr:{region}:", new EcrArns(arns.Account).Repository("r"), StringComparison.Ordinal);
        Assert.StartsWith($"arn:{partition}:logs:{region}:", new LogsArns(arns.Account).Group("g"), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_resource_has_the_long_format()
    {
        const string Prefix = "arn:aws:ecs:eu-west-1:123456789012:";
        Assert.Equal(Prefix + "cluster/c", Arns.Cluster("c"));
        Assert.Equal(Prefix + "service/c/web", Arns.Service("c", "web"));
        Assert.Equal(Prefix + "task/c/0123abcd", Arns.Task("c", "0123abcd"));
        Assert.Equal(Prefix + "container/c/0123abcd/5e1f", Arns.Container("c", "0123abcd", "5e1f"));
        Assert.Equal(Prefix + "container-instance/c/9f", Arns.ContainerInstance("c", "9f"));
        Assert.Equal(Prefix + "task-definition/web:3", Arns.TaskDefinition("web", 3));
    }

    [Theory]
    [InlineData("cn-north-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("us-east-1")]
    public void A_task_arn_parses_back_to_its_cluster_and_id(string region)
    {
        var arns = new EcsArns(new AwsAccount(region, "123456789012"));
        var arn = arns.Task("prod", "6f3c2a");

        Assert.True(EcsArn.TryParseTask(arn, out var cluster, out var id));
        Assert.Equal(("prod", "6f3c2a"), (cluster, id));
        Assert.True(EcsArn.TryParse(arn, out var parsed));
        Assert.Equal(new EcsArn(arns.Account.Partition, region, "123456789012", "task", "prod/6f3c2a"), parsed);
        Assert.Equal("6f3c2a", EcsArns.TaskId(arn));
    }

    [Fact]
    public void Every_built_arn_parses_back()
    {
        Assert.Equal(("cluster", "c"), Parse(Arns.Cluster("c")));
        Assert.Equal(("service", "c/web"), Parse(Arns.Service("c", "web")));
        Assert.Equal(("container", "c/t/k"), Parse(Arns.Container("c", "t", "k")));
        Assert.Equal(("container-instance", "c/9f"), Parse(Arns.ContainerInstance("c", "9f")));
        Assert.Equal(("task-definition", "web:3"), Parse(Arns.TaskDefinition("web", 3)));
        Assert.Equal("c", Arns.ClusterName(Arns.Cluster("c")));
        Assert.Equal("web", EcsArns.ServiceName(Arns.Service("c", "web")));
        Assert.Equal("9f", EcsArns.ContainerInstanceId(Arns.ContainerInstance("c", "9f")));
        Assert.True(Arns.TryParseTaskDefinition(Arns.TaskDefinition("web", 3), out var family, out var revision));
        Assert.Equal(("web", 3), (family, revision));

        static (string, string) Parse(string arn) =>
            EcsArn.TryParse(arn, out var parsed) ? (parsed.ResourceType, parsed.Resource) : throw new InvalidOperationException(arn);
    }

    [Theory]
    [InlineData("6f3c2a", "6f3c2a")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task/6f3c2a", "6f3c2a")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task/prod/6f3c2a", "6f3c2a")]
    public void A_reference_is_an_arn_of_either_format_or_the_bare_id(string reference, string id)
    {
        Assert.Equal(id, EcsArns.TaskId(reference));
        Assert.Equal(id, EcsArns.ContainerInstanceId(reference.Replace("task/", "container-instance/", StringComparison.Ordinal)));
        Assert.Equal(id, EcsArns.ServiceName(reference.Replace("task/", "service/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("6f3c2a")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task/")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:/prod/6f3c2a")]
    [InlineData("arn::ecs:eu-west-1:123456789012:task/prod/6f3c2a")]
    [InlineData("arn:aws:ecs:eu-west-1::task/prod/6f3c2a")]
    [InlineData("arn:aws:ecr:eu-west-1:123456789012:task/prod/6f3c2a")]
    [InlineData("nra:aws:ecs:eu-west-1:123456789012:task/prod/6f3c2a")]
    public void A_malformed_arn_does_not_parse(string arn)
    {
        Assert.False(EcsArn.TryParse(arn, out _));
        Assert.False(EcsArn.TryParseTask(arn, out _, out _));
    }

    [Theory]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task/6f3c2a")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task/prod/")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task//6f3c2a")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:task/prod/6f3c2a/extra")]
    [InlineData("arn:aws:ecs:eu-west-1:123456789012:service/prod/web")]
    public void Only_a_long_format_task_arn_parses_as_a_task(string arn)
    {
        Assert.False(EcsArn.TryParseTask(arn, out _, out _));
    }

    [Fact]
    public void A_foreign_accounts_arn_is_not_a_resource_of_this_one()
    {
        Assert.False(Arns.TryResource("arn:aws:ecs:eu-west-1:999999999999:cluster/c", "cluster/", out _));
        Assert.False(Arns.TryResource("arn:aws-cn:ecs:eu-west-1:123456789012:cluster/c", "cluster/", out _));
        Assert.True(Arns.TryResource("arn:aws:ecs:eu-west-1:123456789012:cluster/c", "cluster/", out var name));
        Assert.Equal("c", name);
    }
}
