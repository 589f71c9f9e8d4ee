using static Gantry.Iam.Policies.Tests.Policies;

namespace Gantry.Iam.Policies.Tests;

public class MatchingTests
{
    private static readonly CompiledPolicy ReadClusterA = Identity(Doc(
        """{"Sid":"ReadA","Effect":"Allow","Action":["ecs:Describe*","ecs:List*"],"Resource":"arn:aws:ecs:us-east-1:123456789012:cluster/a"}"""));

    [Theory]
    [InlineData("ecs:DescribeClusters", "cluster/a", true)]
    [InlineData("ECS:describeclusters", "cluster/a", true)]
    [InlineData("ecs:ListContainerInstances", "cluster/a", true)]
    [InlineData("ecs:DeleteCluster", "cluster/a", false)]
    [InlineData("ecr:DescribeRepositories", "cluster/a", false)]
    [InlineData("ecs:DescribeClusters", "cluster/b", false)]
    [InlineData("ecs:DescribeClusters", "cluster/A", false)]
    public void Actions_match_case_insensitively_with_wildcards_and_resources_exactly(string action, string resource, bool allowed) =>
        Assert.Equal(allowed, Evaluate(Request(action, Ecs(resource)), ReadClusterA).Allowed);

    [Fact]
    public void The_allowing_statement_is_named() =>
        Assert.Equal("ReadA", Evaluate(Request("ecs:DescribeClusters", Ecs("cluster/a")), ReadClusterA).StatementId);

    [Theory]
    [InlineData("arn:aws:ecs:*:123456789012:service/prod/*", "service/prod/web", true)]
    [InlineData("arn:aws:ecs:*:123456789012:service/prod/*", "service/dev/web", false)]
    [InlineData("arn:aws:ecs:us-east-?:123456789012:task/prod/*", "task/prod/abc", true)]
    [InlineData("arn:aws:ecs:*:*:task-definition/web:*", "task-definition/web:12", true)]
    [InlineData("arn:aws:ecs:*:*:task-definition/web:*", "task-definition/webapp:12", false)]
    [InlineData("arn:aws:ecs:us-east-1:123456789012:task-definition/we?:3", "task-definition/web:3", true)]
    [InlineData("arn:aws:ecs:us-east-1:123456789012:task-definition/*b:3", "task-definition/web:3", true)]
    [InlineData("arn:aws:ecs:*:123456789012:cluster/a*b", "cluster/a:x:b", false)]
    [InlineData("arn:aws:ecs:*", "cluster/anything", true)]
    public void Resource_wildcards_stay_inside_a_segment_unless_they_end_it(string pattern, string resource, bool allowed)
    {
        CompiledPolicy policy = Identity(Doc($$"""{"Effect":"Allow","Action":"ecs:*","Resource":"{{pattern}}"}"""));
        Assert.Equal(allowed, Evaluate(Request("ecs:RunTask", Ecs(resource)), policy).Allowed);
    }

    [Fact]
    public void NotAction_allows_everything_else()
    {
        CompiledPolicy policy = Identity(Doc("""{"Effect":"Allow","NotAction":["ecs:Delete*","iam:*"],"Resource":"*"}"""));
        Assert.True(Evaluate(Request("ecs:RunTask", Ecs("task-definition/web:1")), policy).Allowed);
        Assert.True(Evaluate(Request("logs:PutLogEvents", "*"), policy).Allowed);
        Assert.False(Evaluate(Request("ecs:DeleteService", Ecs("service/prod/web")), policy).Allowed);
        Assert.False(Evaluate(Request("iam:CreateUser", "*"), policy).Allowed);
    }

    [Fact]
    public void NotResource_denies_everything_but_the_named_resources()
    {
        CompiledPolicy policy = Identity(Doc(
            """{"Effect":"Allow","Action":"ecs:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"ecs:*","NotResource":"arn:aws:ecs:*:*:cluster/sandbox"}"""));
        Assert.True(Evaluate(Request("ecs:DeleteCluster", Ecs("cluster/sandbox")), policy).Allowed);
        Decision other = Evaluate(Request("ecs:DeleteCluster", Ecs("cluster/prod")), policy);
        Assert.Equal(DecisionReason.ExplicitDeny, other.Reason);
    }

    [Fact]
    public void Username_variable_scopes_resources_to_the_caller()
    {
        CompiledPolicy policy = Identity(Doc(
            """{"Effect":"Allow","Action":"ecr:*","Resource":"arn:aws:ecr:us-east-1:123456789012:repository/home/${aws:username}/*"}"""));
        Assert.True(Evaluate(Request("ecr:PutImage", "arn:aws:ecr:us-east-1:123456789012:repository/home/ana/app"), policy).Allowed);
        Assert.False(Evaluate(Request("ecr:PutImage", "arn:aws:ecr:us-east-1:123456789012:repository/home/bob/app"), policy).Allowed);
    }

    [Fact]
    public void Variables_are_literal_text_in_2008_documents()
    {
        CompiledPolicy policy = Identity(
            """{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"ecr:*","Resource":"arn:aws:ecr:us-east-1:123456789012:repository/home/${aws:username}"}}""");
        Assert.False(Evaluate(Request("ecr:PutImage", "arn:aws:ecr:us-east-1:123456789012:repository/home/ana"), policy).Allowed);
        Assert.True(Evaluate(Request("ecr:PutImage", "arn:aws:ecr:us-east-1:123456789012:repository/home/${aws:username}"), policy).Allowed);
    }

    [Fact]
    public void A_principal_tag_variable_with_a_default_and_an_escaped_star()
    {
        CompiledPolicy policy = Identity(Doc(
            """{"Effect":"Allow","Action":"ecs:*","Resource":"arn:aws:ecs:*:*:cluster/${aws:PrincipalTag/team, 'shared'}-${*}"}"""));
        Assert.True(Evaluate(Request("ecs:DescribeClusters", Ecs("cluster/payments-*"), c => c.Set("aws:PrincipalTag/team", "payments")), policy).Allowed);
        Assert.False(Evaluate(Request("ecs:DescribeClusters", Ecs("cluster/payments-x"), c => c.Set("aws:PrincipalTag/team", "payments")), policy).Allowed);
        Assert.True(Evaluate(Request("ecs:DescribeClusters", Ecs("cluster/shared-*")), policy).Allowed);
    }

    [Fact]
    public void An_unresolved_variable_matches_nothing()
    {
        CompiledPolicy policy = Identity(Doc(
            """{"Effect":"Allow","Action":"ecs:*","Resource":"arn:aws:ecs:*:*:cluster/${aws:PrincipalTag/team}"}"""));
        Assert.False(Evaluate(Request("ecs:DescribeClusters", Ecs("cluster/")), policy).Allowed);
    }
}
