using Gantry.Scheduling;
using static Gantry.Scheduling.Tests.Build;

namespace Gantry.Scheduling.Tests;

public class ClusterQueryTests
{
    private static readonly Candidate Small = Instance(
        "ci-1",
        ec2InstanceId: "i-abcd1234",
        attributes: new Dictionary<string, string?>
        {
            ["ecs.instance-type"] = "t2.small",
            ["ecs.availability-zone"] = "us-east-1a",
            ["stack"] = "prod",
            ["generation"] = "10",
            ["flag"] = null,
        },
        tasks: [Task("service:production", "1"), Task("family:web", "2")]);

    private static readonly Candidate Disconnected = Instance("ci-2", ec2InstanceId: "i-wxyx7890", connected: false);

    [Theory]
    [InlineData("attribute:ecs.instance-type == t2.small", true)]
    [InlineData("attribute:ecs.instance-type equals t2.small", true)]
    [InlineData("attribute:ecs.instance-type == t2.medium", false)]
    [InlineData("attribute:ecs.instance-type==t2.small", true)]
    [InlineData("attribute:stack != prod", false)]
    [InlineData("attribute:stack not_equals dev", true)]
    [InlineData("attribute:missing != prod", false)]
    [InlineData("attribute:generation > 9", true)]
    [InlineData("attribute:generation greater_than 10", false)]
    [InlineData("attribute:generation >= 10", true)]
    [InlineData("attribute:generation greater_than_equal 10.0", true)]
    [InlineData("attribute:generation < 9", false)]
    [InlineData("attribute:generation less_than 11", true)]
    [InlineData("attribute:generation <= 10", true)]
    [InlineData("attribute:generation less_than_equal 9", false)]
    [InlineData("attribute:ecs.instance-type > t2.micro", true)]
    [InlineData("attribute:stack exists", true)]
    [InlineData("attribute:flag exists", true)]
    [InlineData("attribute:missing exists", false)]
    [InlineData("attribute:missing !exists", true)]
    [InlineData("attribute:stack not_exists", false)]
    [InlineData("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true)]
    [InlineData("attribute:ecs.availability-zone in [us-east-1c]", false)]
    [InlineData("attribute:ecs.availability-zone not_in [us-east-1b, us-east-1c]", true)]
    [InlineData("attribute:ecs.availability-zone !in [us-east-1a]", false)]
    [InlineData("attribute:ecs.instance-type =~ t2.*", true)]
    [InlineData("attribute:ecs.instance-type matches t2", false)]
    [InlineData("attribute:ecs.instance-type =~ (t2|t3)\\.small", true)]
    [InlineData("attribute:ecs.instance-type =~ *.small", true)]
    [InlineData("attribute:ecs.instance-type =~ *.large", false)]
    [InlineData("attribute:ecs.instance-type !~ g2.*", true)]
    [InlineData("attribute:ecs.instance-type not_matches t2.*", false)]
    [InlineData("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true)]
    [InlineData("ec2InstanceId == \"i-abcd1234\"", true)]
    [InlineData("ec2InstanceId =~ i-abcd.*", true)]
    [InlineData("agentConnected == true", true)]
    [InlineData("agentConnected != true", false)]
    [InlineData("runningTasksCount == 2", true)]
    [InlineData("runningTasksCount > 2", false)]
    [InlineData("task:group == service:production", true)]
    [InlineData("task:group == database", false)]
    [InlineData("task:group in [database, family:web]", true)]
    [InlineData("task:group =~ service:.*", true)]
    [InlineData("task:group exists", true)]
    public void Operators_compare_the_subject_with_the_argument(string expression, bool expected)
    {
        Assert.Equal(expected, ClusterQuery.Parse(expression).Evaluate(Small));
    }

    [Theory]
    [InlineData("agentConnected == false", true)]
    [InlineData("task:group !exists", true)]
    [InlineData("task:group != database", false)]
    [InlineData("not(task:group == database)", true)]
    [InlineData("ec2InstanceId not_in [i-abcd1234]", true)]
    [InlineData("runningTasksCount == 0", true)]
    public void Subjects_reflect_the_instance(string expression, bool expected)
    {
        Assert.Equal(expected, ClusterQuery.Parse(expression).Evaluate(Disconnected));
    }

    [Theory]
    [InlineData("attribute:stack == prod and attribute:ecs.availability-zone == us-east-1a", true)]
    [InlineData("attribute:stack == prod && attribute:ecs.availability-zone == us-east-1b", false)]
    [InlineData("attribute:stack == dev or attribute:ecs.availability-zone == us-east-1a", true)]
    [InlineData("attribute:stack == dev || attribute:ecs.availability-zone == us-east-1b", false)]
    [InlineData("not attribute:stack == dev", true)]
    [InlineData("!attribute:stack == prod", false)]
    [InlineData("! (attribute:stack == prod)", false)]
    [InlineData("not(task:group == database)", true)]
    [InlineData("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d", true)]
    [InlineData("attribute:stack == dev or attribute:stack == prod and attribute:generation == 9", false)]
    [InlineData("(attribute:stack == dev or attribute:stack == prod) and attribute:generation == 10", true)]
    [InlineData("attribute:stack == prod or attribute:stack == dev and attribute:generation == 9", true)]
    [InlineData("((attribute:stack == prod))", true)]
    [InlineData("(attribute:ecs.instance-type =~ (t2|t3).*)and(agentConnected == true)", true)]
    [InlineData("attribute:stack == prod AND NOT attribute:generation < 5", true)]
    public void Combinators_follow_not_and_or_precedence(string expression, bool expected)
    {
        Assert.Equal(expected, ClusterQuery.Parse(expression).Evaluate(Small));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        ClusterQuery query = ClusterQuery.Parse("agentConnected == true or attribute:a exists and not attribute:b exists");

        Assert.Equal(
            "(agentConnected == true or (attribute:a exists and not attribute:b exists))",
            query.ToCanonicalString());
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("   ", 0, "empty")]
    [InlineData("attribute:stack", 15, "expected an operator after 'attribute:stack', found the end")]
    [InlineData("attribute:stack is prod", 16, "found 'is'")]
    [InlineData("attribute:stack ==", 18, "expected a value after '=='")]
    [InlineData("attribute:stack == prod extra", 24, "found 'extra'")]
    [InlineData("color == red", 0, "Unknown subject 'color'")]
    [InlineData("attribute: == x", 10, "attribute name")]
    [InlineData("registeredAt < 2018-02-13", 0, "not supported")]
    [InlineData("(attribute:stack == prod", 24, "expected ')' to close the '(' at position 0")]
    [InlineData("attribute:stack == prod)", 23, "found ')'")]
    [InlineData("attribute:az in us-east-1a", 16, "expected '['")]
    [InlineData("attribute:az in [us-east-1a", 27, "expected ']' to close the '[' at position 16")]
    [InlineData("attribute:az in [a b]", 19, "expected ',' or ']'")]
    [InlineData("attribute:az in []", 17, "empty")]
    [InlineData("attribute:stack == 'prod", 19, "quoted value is not closed")]
    [InlineData("attribute:stack == prod and", 27, "expected an expression")]
    [InlineData("attribute:stack == prod or or", 27, "Unknown subject 'or'")]
    [InlineData("attribute:type =~ t2[", 18, "not a valid pattern")]
    [InlineData("not", 3, "expected an expression")]
    public void Malformed_expressions_name_the_position_and_token(string expression, int position, string fragment)
    {
        ClusterQueryException error = Assert.Throws<ClusterQueryException>(() => ClusterQuery.Parse(expression));

        Assert.Equal(position, error.Position);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expressions_longer_than_2000_characters_are_rejected()
    {
        string expression = "attribute:a == " + new string('x', 2000);

        Assert.Throws<ClusterQueryException>(() => ClusterQuery.Parse(expression));
    }
}
