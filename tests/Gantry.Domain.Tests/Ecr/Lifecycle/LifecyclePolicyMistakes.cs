namespace Gantry.Domain.Tests.Ecr.Lifecycle;

/// <summary>Invalid lifecycle policy texts, each with a fragment the error message must contain. JSON is written with ' for ".</summary>
public static class LifecyclePolicyMistakes
{
    private const string Action = "'action':{'type':'expire'}";
    private const string KeepOneUntagged = "'tagStatus':'untagged','countType':'imageCountMoreThan','countNumber':1";
    private const string Untagged = "'selection':{" + KeepOneUntagged + "}";

    public static string DoubleQuoted(string singleQuoted) => singleQuoted.Replace('\'', '"');

    /// <summary>A policy of the given rules; each rule is the inside of its braces.</summary>
    public static string Policy(params string[] rules) => DoubleQuoted("{'rules':[" + string.Join(",", rules.Select(r => "{" + r + "}")) + "]}");

    public static string Rule(int priority, string selection) => $"'rulePriority':{priority},'selection':{{{selection}}},{Action}";

    public static TheoryData<string, string, string> All => new()
    {
        { "empty text", "", "must not be empty" },
        { "not JSON", "rules: []", "not valid JSON" },
        { "trailing garbage", Policy(Rule(1, KeepOneUntagged)) + "}", "not valid JSON" },
        { "root is a list", "[]", "must be a JSON object" },
        { "rules missing", DoubleQuoted("{}"), "rules is required" },
        { "rules not a list", DoubleQuoted("{'rules':{}}"), "rules must be a list" },
        { "no rules", DoubleQuoted("{'rules':[]}"), "at least one rule" },
        { "unknown top-level member", DoubleQuoted("{'rules':[{" + Rule(1, KeepOneUntagged) + "}],'version':1}"), "version is not an allowed property" },
        { "unknown selection member", Policy(Rule(1, "'tagStatus':'untagged','countType':'imageCountMoreThan','countNumber':1,'colour':'red'")), "rules[0].selection.colour is not an allowed property" },
        { "repeated member", Policy(Rule(1, "'tagStatus':'untagged','tagStatus':'any','countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagStatus appears more than once" },
        { "rulePriority missing", Policy($"'selection':{{{KeepOneUntagged}}},{Action}"), "rules[0].rulePriority is required" },
        { "rulePriority zero", Policy(Rule(0, KeepOneUntagged)), "rules[0].rulePriority must be at least 1" },
        { "rulePriority a string", Policy($"'rulePriority':'1',{Untagged},{Action}"), "rules[0].rulePriority must be an integer" },
        { "rulePriority a fraction", Policy($"'rulePriority':1.5,{Untagged},{Action}"), "rules[0].rulePriority must be an integer" },
        { "duplicate rulePriority", Policy(Rule(3, KeepOneUntagged), Rule(3, "'tagStatus':'tagged','tagPrefixList':['v'],'countType':'imageCountMoreThan','countNumber':1")), "rulePriority must be unique" },
        { "description not a string", Policy($"'rulePriority':1,'description':5,{Untagged},{Action}"), "rules[0].description must be a string" },
        { "selection missing", Policy($"'rulePriority':1,{Action}"), "rules[0].selection is required" },
        { "tagStatus missing", Policy(Rule(1, "'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagStatus is required" },
        { "tagStatus unknown", Policy(Rule(1, "'tagStatus':'TAGGED','tagPrefixList':['v'],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagStatus 'TAGGED' is not one of tagged, untagged, any" },
        { "tagged without a list", Policy(Rule(1, "'tagStatus':'tagged','countType':'imageCountMoreThan','countNumber':1")), "tagPrefixList or rules[0].selection.tagPatternList is required when tagStatus is tagged" },
        { "tagged with both lists", Policy(Rule(1, "'tagStatus':'tagged','tagPrefixList':['v'],'tagPatternList':['v*'],'countType':'imageCountMoreThan','countNumber':1")), "cannot both be specified" },
        { "tagged with an empty list", Policy(Rule(1, "'tagStatus':'tagged','tagPrefixList':[],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagPrefixList must not be empty" },
        { "empty prefix", Policy(Rule(1, "'tagStatus':'tagged','tagPrefixList':['v',''],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagPrefixList[1] must not be an empty string" },
        { "prefix not a string", Policy(Rule(1, "'tagStatus':'tagged','tagPrefixList':[7],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagPrefixList[0] must be a string" },
        { "untagged with a prefix list", Policy(Rule(1, "'tagStatus':'untagged','tagPrefixList':['v'],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagPrefixList is only allowed when tagStatus is tagged" },
        { "any with a pattern list", Policy(Rule(1, "'tagStatus':'any','tagPatternList':['v*'],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagPatternList is only allowed when tagStatus is tagged" },
        { "five wildcards", Policy(Rule(1, "'tagStatus':'tagged','tagPatternList':['*test*1*2*3','test*1*2*3*4*5*6'],'countType':'imageCountMoreThan','countNumber':1")), "rules[0].selection.tagPatternList[1] 'test*1*2*3*4*5*6' has more than 4 wildcards" },
        { "countType missing", Policy(Rule(1, "'tagStatus':'untagged','countNumber':1")), "rules[0].selection.countType is required" },
        { "countType unknown", Policy(Rule(1, "'tagStatus':'untagged','countType':'sinceImagePulled','countUnit':'days','countNumber':1")), "rules[0].selection.countType 'sinceImagePulled' is not one of" },
        { "sinceImagePushed without countUnit", Policy(Rule(1, "'tagStatus':'untagged','countType':'sinceImagePushed','countNumber':14")), "rules[0].selection.countUnit is required when countType is sinceImagePushed" },
        { "imageCountMoreThan with countUnit", Policy(Rule(1, "'tagStatus':'untagged','countType':'imageCountMoreThan','countUnit':'days','countNumber':1")), "rules[0].selection.countUnit must be omitted when countType is imageCountMoreThan" },
        { "countUnit hours", Policy(Rule(1, "'tagStatus':'untagged','countType':'sinceImagePushed','countUnit':'hours','countNumber':1")), "rules[0].selection.countUnit 'hours' is not one of days" },
        { "countNumber missing", Policy(Rule(1, "'tagStatus':'untagged','countType':'imageCountMoreThan'")), "rules[0].selection.countNumber is required" },
        { "countNumber zero", Policy(Rule(1, "'tagStatus':'untagged','countType':'imageCountMoreThan','countNumber':0")), "rules[0].selection.countNumber must be at least 1" },
        { "countNumber too large", Policy(Rule(1, "'tagStatus':'untagged','countType':'imageCountMoreThan','countNumber':3000000000")), "rules[0].selection.countNumber must be an integer" },
        { "action missing", Policy($"'rulePriority':1,{Untagged}"), "rules[0].action is required" },
        { "action type unknown", Policy($"'rulePriority':1,{Untagged},'action':{{'type':'transition'}}"), "rules[0].action.type 'transition' is not one of expire" },
        { "second rule is the broken one", Policy(Rule(1, KeepOneUntagged), Rule(2, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':-1")), "rules[1].selection.countNumber must be at least 1" },
        { "any is not the last rule", Policy(Rule(1, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':5"), Rule(2, KeepOneUntagged)), "tagStatus any (rulePriority 1) must have the highest rulePriority" },
        { "two any rules", Policy(Rule(1, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':5"), Rule(2, "'tagStatus':'any','countType':'imageCountMoreThan','countNumber':9")), "tagStatus any (rulePriority 1) must have the highest rulePriority" },
        { "two untagged rules", Policy(Rule(1, KeepOneUntagged), Rule(2, "'tagStatus':'untagged','countType':'sinceImagePushed','countUnit':'days','countNumber':3")), "only one rule may have tagStatus untagged" },
        { "same prefixes twice", Policy(Rule(1, "'tagStatus':'tagged','tagPrefixList':['a','b'],'countType':'imageCountMoreThan','countNumber':1"), Rule(2, "'tagStatus':'tagged','tagPrefixList':['b','a'],'countType':'sinceImagePushed','countUnit':'days','countNumber':1")), "rulePriority 1 and 2 have the same tagPrefixList" },
        { "too many rules", Policy([.. Enumerable.Range(1, 51).Select(p => Rule(p, $"'tagStatus':'tagged','tagPrefixList':['v{p}'],'countType':'imageCountMoreThan','countNumber':1"))]), "at most 50 rules, got 51" },
        { "longer than 30720 characters", Policy($"'rulePriority':1,'description':'{new string('x', 30720)}',{Untagged},{Action}"), "at most 30720 characters" },
    };
}
