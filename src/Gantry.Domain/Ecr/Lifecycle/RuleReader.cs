using System.Text.Json;

namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>Reads and checks one element of <c>rules</c>: the rule on its own, without looking at the other rules.</summary>
internal static class RuleReader
{
    public const int MaxWildcardsPerPattern = 4;

    private static readonly string[] RuleMembers = ["rulePriority", "description", "selection", "action"];
    private static readonly string[] SelectionMembers = ["tagStatus", "tagPrefixList", "tagPatternList", "countType", "countUnit", "countNumber"];
    private static readonly string[] ActionMembers = ["type"];

    private static readonly Dictionary<string, LifecycleTagStatus> TagStatuses = new(StringComparer.Ordinal)
    {
        ["tagged"] = LifecycleTagStatus.Tagged,
        ["untagged"] = LifecycleTagStatus.Untagged,
        ["any"] = LifecycleTagStatus.Any,
    };

    private static readonly Dictionary<string, LifecycleCountType> CountTypes = new(StringComparer.Ordinal)
    {
        ["imageCountMoreThan"] = LifecycleCountType.ImageCountMoreThan,
        ["sinceImagePushed"] = LifecycleCountType.SinceImagePushed,
    };

    private static readonly Dictionary<string, LifecycleActionType> ActionTypes = new(StringComparer.Ordinal)
    {
        ["expire"] = LifecycleActionType.Expire,
    };

    public static LifecycleRule Read(JsonElement element, string path)
    {
        var rule = PolicyObject.Read(element, path, RuleMembers);
        var priority = rule.RequiredInt("rulePriority", minimum: 1);
        var description = rule.OptionalString("description");
        var selection = ReadSelection(PolicyObject.Read(rule.Required("selection"), rule.Name("selection"), SelectionMembers));
        var action = PolicyObject.Read(rule.Required("action"), rule.Name("action"), ActionMembers).RequiredEnum("type", ActionTypes);
        return new LifecycleRule(priority, description, selection, action);
    }

    private static LifecycleSelection ReadSelection(PolicyObject selection)
    {
        var tagStatus = selection.RequiredEnum("tagStatus", TagStatuses);
        var prefixes = selection.OptionalStringList("tagPrefixList");
        var patterns = selection.OptionalStringList("tagPatternList");
        CheckTagLists(selection, tagStatus, prefixes, patterns);

        var countType = selection.RequiredEnum("countType", CountTypes);
        var countUnit = selection.OptionalString("countUnit");
        if (countType == LifecycleCountType.SinceImagePushed && countUnit is null)
        {
            throw InvalidPolicy.Because($"{selection.Name("countUnit")} is required when countType is sinceImagePushed.");
        }
        if (countType == LifecycleCountType.ImageCountMoreThan && countUnit is not null)
        {
            throw InvalidPolicy.Because($"{selection.Name("countUnit")} must be omitted when countType is imageCountMoreThan.");
        }
        if (countUnit is not null and not "days")
        {
            throw InvalidPolicy.Because($"{selection.Name("countUnit")} '{countUnit}' is not one of days.");
        }
        var countNumber = selection.RequiredInt("countNumber", minimum: 1);
        return new LifecycleSelection(tagStatus, prefixes, patterns, countType, countNumber);
    }

    private static void CheckTagLists(PolicyObject selection, LifecycleTagStatus tagStatus, IReadOnlyList<string> prefixes, IReadOnlyList<string> patterns)
    {
        if (tagStatus == LifecycleTagStatus.Tagged)
        {
            if (prefixes.Count == 0 && patterns.Count == 0)
            {
                throw InvalidPolicy.Because($"{selection.Name("tagPrefixList")} or {selection.Name("tagPatternList")} is required when tagStatus is tagged.");
            }
            if (prefixes.Count > 0 && patterns.Count > 0)
            {
                throw InvalidPolicy.Because($"{selection.Name("tagPrefixList")} and {selection.Name("tagPatternList")} cannot both be specified.");
            }
        }
        else
        {
            var present = prefixes.Count > 0 ? "tagPrefixList" : patterns.Count > 0 ? "tagPatternList" : null;
            if (present is not null)
            {
                throw InvalidPolicy.Because($"{selection.Name(present)} is only allowed when tagStatus is tagged.");
            }
        }
        var crowded = patterns.Select((pattern, i) => (pattern, i)).FirstOrDefault(p => p.pattern.Count(c => c == '*') > MaxWildcardsPerPattern);
        if (crowded.pattern is not null)
        {
            throw InvalidPolicy.Because(
                $"{selection.Name("tagPatternList")}[{crowded.i}] '{crowded.pattern}' has more than {MaxWildcardsPerPattern} wildcards (*).");
        }
    }
}
