using Gantry.Domain.Ecr.Lifecycle;
using static Gantry.Domain.Tests.Ecr.Lifecycle.LifecyclePolicyMistakes;

namespace Gantry.Domain.Tests.Ecr.Lifecycle;

public sealed class LifecyclePolicyEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static LifecycleImage Image(string name, double daysAgo, params string[] tags) =>
        new($"sha256:{name}", tags, Now - TimeSpan.FromDays(daysAgo));

    private static LifecyclePolicy Parse(params string[] rules) => LifecyclePolicyParser.Parse(Policy(rules));

    /// <summary>The expired images as "name@priority", in the evaluator's order.</summary>
    private static List<string> Expired(LifecyclePolicy policy, params LifecycleImage[] images) =>
        [.. LifecyclePolicyEvaluator.Evaluate(policy, images, Now).Select(e => $"{e.Image.Digest["sha256:".Length..]}@{e.RulePriority}")];

    [Fact]
    public void Keeps_the_newest_N_prod_images_and_expires_older_ones_oldest_first()
    {
        var policy = Parse(Rule(1, "'tagStatus':'tagged','tagPrefixList':['prod'],'countType':'imageCountMoreThan','countNumber':3"));

        var expired = Expired(policy,
            Image("p3", 3, "prod-3"), Image("p1", 9, "prod-1"), Image("p5", 1, "prod-5"),
            Image("p2", 5, "prod-2", "latest"), Image("p4", 2, "prod-4"), Image("dev", 30, "dev-1"), Image("none", 40));

        Assert.Equal(["p1@1", "p2@1"], expired);
    }

    [Fact]
    public void Fewer_images_than_the_count_expire_nothing()
    {
        var policy = Parse(Rule(1, "'tagStatus':'tagged','tagPrefixList':['prod'],'countType':'imageCountMoreThan','countNumber':3"));

        Assert.Empty(Expired(policy, Image("a", 90, "prod"), Image("b", 80, "prod")));
    }

    [Fact]
    public void Expires_untagged_images_pushed_more_than_14_days_ago()
    {
        var policy = Parse(Rule(1, "'tagStatus':'untagged','countType':'sinceImagePushed','countUnit':'days','countNumber':14"));

        var expired = Expired(policy,
            Image("old", 20), Image("exactly14", 14), Image("just-over", 14.001), Image("fresh", 3), Image("tagged-old", 60, "v1"));

        Assert.Equal(["old@1", "just-over@1"], expired);
    }

    [Fact]
    public void An_image_kept_by_a_higher_priority_rule_is_not_expired_by_a_later_rule()
    {
        var policy = Parse(
            Rule(1, "'tagStatus':'tagged','tagPrefixList':['prod'],'countType':'imageCountMoreThan','countNumber':2"),
            Rule(2, "'tagStatus':'any','countType':'sinceImagePushed','countUnit':'days','countNumber':7"));

        var expired = Expired(policy,
            Image("prod-a", 30, "prod-a"), Image("prod-b", 20, "prod-b"), Image("prod-c", 10, "prod-c"),
            Image("dev", 15, "dev"), Image("untagged", 12), Image("new", 1, "dev-2"));

        // prod-b and prod-c are older than 7 days but rule 1 selected (and kept) them.
        Assert.Equal(["prod-a@1", "dev@2", "untagged@2"], expired);
    }

    [Fact]
    public void Any_rule_applies_last_and_still_counts_images_selected_by_earlier_rules()
    {
        // The ECR user guide, "Filtering on all images", example B.
        var policy = Parse(
            Rule(1, "'tagStatus':'tagged','tagPrefixList':['alpha'],'countType':'imageCountMoreThan','countNumber':1"),
            Rule(2, "'tagStatus':'untagged','countType':'sinceImagePushed','countUnit':'days','countNumber':1"),
            Rule(3, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':1"));

        var expired = Expired(policy,
            Image("a", 4, "alpha-1", "beta-1"), Image("b", 3), Image("c", 2, "alpha-2"), Image("d", 1, "git hash"), Image("e", 1));

        Assert.Equal(["a@1", "b@2", "d@3"], expired);
    }

    [Theory]
    [InlineData("prod", "beta", "a@1")]
    [InlineData("beta", "prod", "a@1,b@1")]
    public void Rule_priority_decides_between_overlapping_rules(string first, string second, string expected)
    {
        // The ECR user guide, "Filtering on multiple rules", examples A and B.
        var policy = Parse(
            Rule(1, $"'tagStatus':'tagged','tagPrefixList':['{first}'],'countType':'imageCountMoreThan','countNumber':1"),
            Rule(2, $"'tagStatus':'tagged','tagPrefixList':['{second}'],'countType':'imageCountMoreThan','countNumber':1"));

        var expired = Expired(policy,
            Image("a", 10, "beta-1", "prod-1"), Image("b", 9, "beta-2", "prod-2"), Image("c", 8, "beta-3"));

        Assert.Equal(expected.Split(','), expired);
    }

    [Fact]
    public void A_prefix_list_selects_only_images_having_a_tag_for_every_prefix()
    {
        // The ECR user guide, "Filtering on multiple tags in a single rule", example A.
        var policy = Parse(Rule(1, "'tagStatus':'tagged','tagPrefixList':['alpha','beta'],'countType':'sinceImagePushed','countUnit':'days','countNumber':5"));

        var expired = Expired(policy,
            Image("a", 12, "alpha-1"), Image("b", 11, "beta-1"), Image("c", 10, "alpha-2", "beta-2"),
            Image("d", 4, "alpha-3"), Image("e", 3, "beta-3"), Image("f", 2, "alpha-4", "beta-4"));

        Assert.Equal(["c@1"], expired);
    }

    [Theory]
    [InlineData("prod*", "prod,prod-1,production", "dev-prod,Prod-1")]
    [InlineData("*-rc*", "1.0-rc1,v2-rc,-rc", "rc1,1.0-RC1,1.0rc-")]
    [InlineData("v*.*.*", "v1.2.3,v..,v10.0.1-beta", "v1.2,1.2.3")]
    [InlineData("*", "anything,x", "")]
    [InlineData("release", "release", "release-1,prerelease")]
    [InlineData("a*a", "aa,aba,abca", "a,ab")]
    public void A_pattern_matches_whole_tags_with_star_for_any_run_of_characters(string pattern, string matching, string notMatching)
    {
        var policy = Parse(Rule(1, $"'tagStatus':'tagged','tagPatternList':['{pattern}'],'countType':'sinceImagePushed','countUnit':'days','countNumber':1"));
        var yes = matching.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var no = notMatching.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var images = yes.Concat(no).Select((tag, i) => Image(tag, 10 + i, tag)).ToArray();

        Assert.Equal(yes.Select(tag => $"{tag}@1").Reverse(), Expired(policy, images));
    }

    [Fact]
    public void A_pattern_list_needs_every_pattern_matched_by_some_tag()
    {
        var policy = Parse(Rule(1, "'tagStatus':'tagged','tagPatternList':['prod-*','*-eu'],'countType':'imageCountMoreThan','countNumber':1"));

        var expired = Expired(policy,
            Image("both-in-one-tag", 9, "prod-eu"), Image("both-in-two-tags", 8, "prod-1", "build-eu"),
            Image("prod-only", 7, "prod-2"), Image("eu-only", 6, "dev-eu"), Image("newest-both", 1, "prod-3-eu"));

        Assert.Equal(["both-in-one-tag@1", "both-in-two-tags@1"], expired);
    }

    [Fact]
    public void Images_pushed_at_the_same_instant_are_ordered_by_digest_whatever_the_input_order()
    {
        var policy = Parse(Rule(1, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':2"));
        LifecycleImage[] images = [Image("b", 5), Image("d", 5), Image("a", 5), Image("c", 5), Image("older", 6)];

        var forwards = Expired(policy, images);
        var backwards = Expired(policy, [.. images.Reverse()]);

        // Oldest first: "older", then the tie a < b < c < d; the greatest digests count as the newest and are kept.
        Assert.Equal(["older@1", "a@1", "b@1"], forwards);
        Assert.Equal(forwards, backwards);
    }

    [Fact]
    public void No_images_means_nothing_to_expire()
    {
        var policy = Parse(Rule(1, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':1"));

        Assert.Empty(LifecyclePolicyEvaluator.Evaluate(policy, [], Now));
    }
}
