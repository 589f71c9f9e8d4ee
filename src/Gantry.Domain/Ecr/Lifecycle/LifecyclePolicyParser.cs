using System.Text.Json;

namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>
/// Parses and validates <c>lifecyclePolicyText</c> (PutLifecyclePolicy, StartLifecyclePolicyPreview) into a
/// <see cref="LifecyclePolicy"/>. Every refusal is an <see cref="Errors.AwsException"/> of type
/// <c>InvalidParameterException</c> whose message reads
/// <c>Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: …'</c>
/// and names the offending member by its JSON path (e.g. <c>rules[1].selection.countUnit</c>).
/// </summary>
/// <remarks>
/// Checks, following the ECR user guide ("Lifecycle policy properties" and "Lifecycle policy evaluation rules"):
/// <list type="bullet">
/// <item>the text is non-empty, at most <see cref="MaxLength"/> characters, and one JSON object
/// <c>{"rules":[…]}</c> holding 1-50 rules; unknown or repeated members are refused at every level;</item>
/// <item><c>rulePriority</c> is an integer ≥ 1, unique across rules; <c>description</c> is an optional string;</item>
/// <item><c>selection.tagStatus</c> is <c>tagged</c>, <c>untagged</c> or <c>any</c>; <c>tagged</c> needs exactly one of
/// <c>tagPrefixList</c> / <c>tagPatternList</c> (non-empty lists of non-empty strings), the other statuses allow neither;
/// a pattern holds at most four <c>*</c> wildcards;</item>
/// <item><c>countType</c> is <c>imageCountMoreThan</c> or <c>sinceImagePushed</c>; <c>countUnit</c> (only <c>days</c>) is
/// required with <c>sinceImagePushed</c> and refused with <c>imageCountMoreThan</c>; <c>countNumber</c> is an integer ≥ 1;</item>
/// <item><c>action.type</c> is <c>expire</c>;</item>
/// <item>a rule with tagStatus <c>any</c> has the highest rulePriority (so there is at most one); at most one rule has
/// tagStatus <c>untagged</c>; no two rules have the same tagPrefixList (or tagPatternList), compared as sets.</item>
/// </list>
/// </remarks>
public static class LifecyclePolicyParser
{
    /// <summary>The API model's maximum length of <c>lifecyclePolicyText</c>.</summary>
    public const int MaxLength = 30720;

    private static readonly string[] PolicyMembers = ["rules"];

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>The policy with its rules sorted by ascending rulePriority; throws InvalidParameterException when invalid.</summary>
    public static LifecyclePolicy Parse(string? lifecyclePolicyText)
    {
        if (string.IsNullOrWhiteSpace(lifecyclePolicyText))
        {
            throw InvalidPolicy.Because("the policy text must not be empty.");
        }
        if (lifecyclePolicyText.Length > MaxLength)
        {
            throw InvalidPolicy.Because($"the policy text must be at most {MaxLength} characters, got {lifecyclePolicyText.Length}.");
        }
        using var document = ParseJson(lifecyclePolicyText);
        var policy = PolicyObject.Read(document.RootElement, "", PolicyMembers);
        var rulesJson = policy.Required("rules");
        if (rulesJson.ValueKind != JsonValueKind.Array)
        {
            throw InvalidPolicy.Because("rules must be a list of rules.");
        }
        var rules = rulesJson.EnumerateArray().Select((rule, i) => RuleReader.Read(rule, $"rules[{i}]")).ToList();
        PolicyRules.Check(rules);
        return new LifecyclePolicy([.. rules.OrderBy(r => r.RulePriority)]);
    }

    private static JsonDocument ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw InvalidPolicy.Because($"the policy text is not valid JSON ({e.Message})");
        }
    }
}
