using static Gantry.Iam.Policies.Tests.Policies;

namespace Gantry.Iam.Policies.Tests;

public class ConditionTests
{
    private static bool Allowed(string condition, Action<RequestContext>? keys, string action = "ecs:DescribeTasks")
    {
        CompiledPolicy policy = Identity(Doc($$"""{"Effect":"Allow","Action":"ecs:*","Resource":"*","Condition":{{condition}}}"""));
        return Evaluate(Request(action, Ecs("task/prod/abc"), keys), policy).Allowed;
    }

    [Fact]
    public void Cluster_condition_with_ArnEquals_on_the_ecs_cluster_key()
    {
        const string condition = """{"ArnEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}}""";
        Assert.True(Allowed(condition, c => c.Set("ecs:cluster", Ecs("cluster/prod"))));
        Assert.False(Allowed(condition, c => c.Set("ecs:cluster", Ecs("cluster/dev"))));
        Assert.False(Allowed(condition, null));
    }

    [Theory]
    [InlineData("""{"ArnLike":{"ecs:cluster":"arn:aws:ecs:*:123456789012:cluster/p*"}}""", true)]
    [InlineData("""{"ArnLike":{"ecs:cluster":"arn:aws:ecs:*:123456789012:cluster/d*"}}""", false)]
    [InlineData("""{"ArnLike":{"ecs:cluster":"arn:aws:ecs:*"}}""", false)]
    [InlineData("""{"ArnNotLike":{"ecs:cluster":"arn:aws:ecs:*:*:cluster/dev"}}""", true)]
    [InlineData("""{"StringEquals":{"ECS:Cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"}}""", true)]
    [InlineData("""{"StringEquals":{"ecs:cluster":["arn:x","arn:aws:ecs:us-east-1:123456789012:cluster/prod"]}}""", true)]
    [InlineData("""{"StringNotEquals":{"ecs:cluster":["arn:x","arn:aws:ecs:us-east-1:123456789012:cluster/prod"]}}""", false)]
    [InlineData("""{"StringEqualsIgnoreCase":{"ecs:cluster":"ARN:AWS:ECS:US-EAST-1:123456789012:CLUSTER/PROD"}}""", true)]
    [InlineData("""{"StringEquals":{"ecs:cluster":"ARN:AWS:ECS:US-EAST-1:123456789012:CLUSTER/PROD"}}""", false)]
    [InlineData("""{"StringLike":{"ecs:cluster":"*:cluster/pr?d"}}""", true)]
    [InlineData("""{"StringNotLike":{"ecs:cluster":"*:cluster/pr?d"}}""", false)]
    [InlineData("""{"StringEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"},"Bool":{"aws:SecureTransport":"true"}}""", true)]
    [InlineData("""{"StringEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod"},"Bool":{"aws:SecureTransport":"false"}}""", false)]
    [InlineData("""{"StringEquals":{"ecs:cluster":"arn:aws:ecs:us-east-1:123456789012:cluster/prod","aws:username":"bob"}}""", false)]
    public void String_arn_and_bool_operators(string condition, bool allowed) =>
        Assert.Equal(allowed, Allowed(condition, c => c.Set("ecs:cluster", Ecs("cluster/prod")).Set("aws:SecureTransport", true)));

    [Fact]
    public void Username_variable_in_a_condition_value() =>
        Assert.True(Allowed("""{"StringEquals":{"aws:ResourceTag/owner":"${aws:username}"}}""", c => c.Set("aws:ResourceTag/owner", "ana")));

    [Theory]
    [InlineData("NumericEquals", "1024", true)]
    [InlineData("NumericNotEquals", "1024", false)]
    [InlineData("NumericLessThan", "1024", false)]
    [InlineData("NumericLessThanEquals", "1024", true)]
    [InlineData("NumericGreaterThan", "512", true)]
    [InlineData("NumericGreaterThanEquals", "2048", false)]
    public void Numeric_operators(string op, string value, bool allowed) =>
        Assert.Equal(allowed, Allowed($$$"""{"{{{op}}}":{"ecs:task-cpu":"{{{value}}}"}}""", c => c.Set("ecs:task-cpu", "1024")));

    [Theory]
    [InlineData("DateLessThan", "2026-12-31T00:00:00Z", true)]
    [InlineData("DateLessThan", "2026-06-01T00:00:00Z", false)]
    [InlineData("DateGreaterThan", "2026-06-01T00:00:00Z", true)]
    [InlineData("DateGreaterThanEquals", "2026-12-07T12:00:00Z", true)]
    [InlineData("DateLessThanEquals", "2026-12-07T11:59:59Z", false)]
    [InlineData("DateEquals", "1796644800", true)]
    [InlineData("DateNotEquals", "2026-12-07T12:00:00Z", false)]
    public void Date_operators_on_the_current_time(string op, string value, bool allowed) =>
        Assert.Equal(allowed, Allowed($$$"""{"{{{op}}}":{"aws:CurrentTime":"{{{value}}}"}}""",
            c => c.Set("aws:CurrentTime", new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero))));

    [Theory]
    [InlineData("203.0.113.9", true)]
    [InlineData("203.0.114.9", false)]
    [InlineData("2001:db8:1::5", true)]
    [InlineData("2001:db9::5", false)]
    [InlineData("not an address", false)]
    public void IpAddress_with_IPv4_and_IPv6_blocks(string source, bool allowed)
    {
        const string condition = """{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}""";
        Assert.Equal(allowed, Allowed(condition, c => c.Set("aws:SourceIp", source)));
    }

    [Fact]
    public void NotIpAddress_denies_from_outside_the_office()
    {
        CompiledPolicy policy = Identity(Doc(
            """{"Effect":"Allow","Action":"ecs:*","Resource":"*"}""",
            """{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"""));
        Assert.True(Evaluate(Request("ecs:ListClusters", "*", c => c.Set("aws:SourceIp", "10.1.2.3")), policy).Allowed);
        Assert.Equal(DecisionReason.ExplicitDeny,
            Evaluate(Request("ecs:ListClusters", "*", c => c.Set("aws:SourceIp", "192.0.2.1")), policy).Reason);
    }

    [Fact]
    public void Missing_keys_fail_positive_operators_and_pass_negated_ones_and_IfExists()
    {
        Assert.False(Allowed("""{"StringEquals":{"aws:ResourceTag/env":"prod"}}""", null));
        Assert.True(Allowed("""{"StringNotEquals":{"aws:ResourceTag/env":"prod"}}""", null));
        Assert.True(Allowed("""{"StringEqualsIfExists":{"aws:ResourceTag/env":"prod"}}""", null));
        Assert.True(Allowed("""{"StringEqualsIfExists":{"aws:ResourceTag/env":"prod"}}""", c => c.Set("aws:ResourceTag/env", "prod")));
        Assert.False(Allowed("""{"StringEqualsIfExists":{"aws:ResourceTag/env":"prod"}}""", c => c.Set("aws:ResourceTag/env", "dev")));
    }

    [Fact]
    public void Null_tests_whether_the_key_is_absent()
    {
        Assert.True(Allowed("""{"Null":{"aws:RequestTag/env":"true"}}""", null));
        Assert.False(Allowed("""{"Null":{"aws:RequestTag/env":"true"}}""", c => c.Set("aws:RequestTag/env", "prod")));
        Assert.True(Allowed("""{"Null":{"aws:RequestTag/env":"false"}}""", c => c.Set("aws:RequestTag/env", "prod")));
    }

    [Fact]
    public void ForAllValues_limits_tag_keys_and_is_true_without_tags()
    {
        const string condition = """{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]}}""";
        Assert.True(Allowed(condition, c => c.SetValues("aws:TagKeys", ["env"])));
        Assert.True(Allowed(condition, c => c.SetValues("aws:TagKeys", ["env", "team"])));
        Assert.False(Allowed(condition, c => c.SetValues("aws:TagKeys", ["env", "cost-center"])));
        Assert.True(Allowed(condition, null));
        Assert.True(Allowed(condition, c => c.SetValues("aws:TagKeys", [])));
    }

    [Fact]
    public void ForAnyValue_needs_one_match_and_is_false_without_tags()
    {
        const string condition = """{"ForAnyValue:StringLike":{"aws:TagKeys":"team*"}}""";
        Assert.True(Allowed(condition, c => c.SetValues("aws:TagKeys", ["env", "team-owner"])));
        Assert.False(Allowed(condition, c => c.SetValues("aws:TagKeys", ["env"])));
        Assert.False(Allowed(condition, null));
    }
}
