namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>The checks that look at all the rules of a policy together.</summary>
internal static class PolicyRules
{
    public const int MaxRules = 50;

    public static void Check(IReadOnlyList<LifecycleRule> rules)
    {
        if (rules.Count == 0)
        {
            throw InvalidPolicy.Because("rules must contain at least one rule.");
        }
        if (rules.Count > MaxRules)
        {
            throw InvalidPolicy.Because($"rules must contain at most {MaxRules} rules, got {rules.Count}.");
        }
        var repeated = rules.GroupBy(r => r.RulePriority).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw InvalidPolicy.Because($"rulePriority must be unique across rules; {repeated.Key} is used {repeated.Count()} times.");
        }
        var highest = rules.Max(r => r.RulePriority);
        var early = rules.FirstOrDefault(r => r.Selection.TagStatus == LifecycleTagStatus.Any && r.RulePriority != highest);
        if (early is not null)
        {
            throw InvalidPolicy.Because(
                $"the rule with tagStatus any (rulePriority {early.RulePriority}) must have the highest rulePriority ({highest} is higher).");
        }
        if (rules.Count(r => r.Selection.TagStatus == LifecycleTagStatus.Untagged) > 1)
        {
            throw InvalidPolicy.Because("only one rule may have tagStatus untagged.");
        }
        CheckDistinctTagLists(rules, r => r.Selection.TagPrefixList, "tagPrefixList");
        CheckDistinctTagLists(rules, r => r.Selection.TagPatternList, "tagPatternList");
    }

    /// <summary>ECR: "the set of rules must contain a unique set of tag prefixes" (compared as sets; patterns alike).</summary>
    private static void CheckDistinctTagLists(IReadOnlyList<LifecycleRule> rules, Func<LifecycleRule, IReadOnlyList<string>> list, string name)
    {
        var seen = new List<(HashSet<string> Tags, int Priority)>();
        foreach (var rule in rules.Where(r => list(r).Count > 0))
        {
            var tags = list(rule).ToHashSet(StringComparer.Ordinal);
            var twin = seen.FirstOrDefault(s => s.Tags.SetEquals(tags));
            if (twin.Tags is not null)
            {
                throw InvalidPolicy.Because(
                    $"rules with rulePriority {twin.Priority} and {rule.RulePriority} have the same {name}; each rule needs a unique {name}.");
            }
            seen.Add((tags, rule.RulePriority));
        }
    }
}
