using Gantry.Domain.Ecr.Lifecycle;
using Gantry.Domain.Errors;
using static Gantry.Domain.Tests.Ecr.Lifecycle.LifecyclePolicyMistakes;

namespace Gantry.Domain.Tests.Ecr.Lifecycle;

public sealed class LifecyclePolicyParserTests
{
    private const string ErrorPrefix = "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ";

    [Fact]
    public void A_policy_with_every_kind_of_rule_parses_into_rules_sorted_by_priority()
    {
        var policy = LifecyclePolicyParser.Parse(DoubleQuoted("""
            {"rules":[
              {"rulePriority":30,"description":"everything else","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":100},"action":{"type":"expire"}},
              {"rulePriority":1,"description":"keep 5 prod","selection":{"tagStatus":"tagged","tagPrefixList":["prod","v"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}},
              {"rulePriority":2,"selection":{"tagStatus":"tagged","tagPatternList":["*-rc*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},
              {"rulePriority":10,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}
            ]}
            """));

        Assert.Equal([1, 2, 10, 30], policy.Rules.Select(r => r.RulePriority));
        var prod = policy.Rules[0];
        Assert.Equal("keep 5 prod", prod.Description);
        Assert.Equal(new LifecycleSelection(LifecycleTagStatus.Tagged, prod.Selection.TagPrefixList, [], LifecycleCountType.ImageCountMoreThan, 5), prod.Selection);
        Assert.Equal(["prod", "v"], prod.Selection.TagPrefixList);
        Assert.Equal(LifecycleActionType.Expire, prod.Action);
        Assert.Equal(["*-rc*"], policy.Rules[1].Selection.TagPatternList);
        Assert.Equal((LifecycleTagStatus.Untagged, LifecycleCountType.SinceImagePushed, 14),
            (policy.Rules[2].Selection.TagStatus, policy.Rules[2].Selection.CountType, policy.Rules[2].Selection.CountNumber));
        Assert.Null(policy.Rules[2].Description);
        Assert.Empty(policy.Rules[3].Selection.TagPrefixList);
    }

    [Fact]
    public void Four_wildcards_in_a_pattern_are_allowed()
    {
        var policy = LifecyclePolicyParser.Parse(Policy(Rule(1, "'tagStatus':'tagged','tagPatternList':['*test*1*2*3','test*1*2*3*'],'countType':'imageCountMoreThan','countNumber':1")));

        Assert.Equal(["*test*1*2*3", "test*1*2*3*"], policy.Rules[0].Selection.TagPatternList);
    }

    [Fact]
    public void A_null_text_is_refused()
    {
        var error = Assert.Throws<AwsException>(() => LifecyclePolicyParser.Parse(null));

        Assert.Equal("InvalidParameterException", error.Type);
        Assert.StartsWith(ErrorPrefix, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LifecyclePolicyMistakes.All), MemberType = typeof(LifecyclePolicyMistakes))]
    public void A_mistake_is_refused_as_InvalidParameterException_naming_the_problem(string mistake, string text, string problem)
    {
        var error = Assert.Throws<AwsException>(() => LifecyclePolicyParser.Parse(text));

        Assert.True(error.Type == "InvalidParameterException", $"{mistake}: got {error.Type}: {error.Message}");
        Assert.StartsWith(ErrorPrefix, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("'", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains(problem, StringComparison.Ordinal), $"{mistake}: expected '{problem}' in: {error.Message}");
    }
}
