using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gantry.Registry.Policies;

/// <summary>
/// Evaluates an ECR repository policy (IAM policy grammar) for one principal and action. Gantry has no IAM:
/// every caller holding a Gantry access key is of the registry's own account and so allowed by identity, which
/// leaves explicit <c>Deny</c> statements as what a repository policy can change. A matching Deny wins.
/// </summary>
public static class RepositoryPolicy
{
    public const string Pull = "ecr:BatchGetImage";
    public const string DownloadLayer = "ecr:GetDownloadUrlForLayer";
    public const string Push = "ecr:PutImage";
    public const string UploadLayer = "ecr:UploadLayerPart";
    public const string Delete = "ecr:BatchDeleteImage";

    /// <summary>Checks that <paramref name="policyText"/> is a policy document; returns what is wrong, or null.</summary>
    public static string? Validate(string policyText)
    {
        try
        {
            using var document = JsonDocument.Parse(policyText);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("Statement", out var statements))
            {
                return "policy must have a Statement";
            }
            foreach (var statement in Statements(statements))
            {
                if (statement.ValueKind != JsonValueKind.Object)
                {
                    return "every statement must be an object";
                }
                var effect = statement.TryGetProperty("Effect", out var e) ? e.GetString() : null;
                if (effect is not ("Allow" or "Deny"))
                {
                    return "every statement needs Effect Allow or Deny";
                }
                if (!statement.TryGetProperty("Principal", out _) || !statement.TryGetProperty("Action", out _))
                {
                    return "every statement needs a Principal and an Action";
                }
            }
            return null;
        }
        catch (JsonException e)
        {
            return $"policy is not valid JSON: {e.Message}";
        }
    }

    /// <summary>True when the policy explicitly denies <paramref name="action"/> to <paramref name="principalArn"/>.</summary>
    public static bool Denies(string? policyText, string principalArn, string action)
    {
        if (string.IsNullOrEmpty(policyText))
        {
            return false;
        }
        using var document = JsonDocument.Parse(policyText);
        if (!document.RootElement.TryGetProperty("Statement", out var statements))
        {
            return false;
        }
        return Statements(statements).Any(s =>
            s.TryGetProperty("Effect", out var effect) && effect.GetString() == "Deny"
            && s.TryGetProperty("Principal", out var principal) && PrincipalMatches(principal, principalArn)
            && s.TryGetProperty("Action", out var actions) && Strings(actions).Any(a => Wildcard(a, action)));
    }

    private static List<JsonElement> Statements(JsonElement statements) =>
        statements.ValueKind == JsonValueKind.Array ? [.. statements.EnumerateArray()] : [statements];

    private static bool PrincipalMatches(JsonElement principal, string arn)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }
        return principal.ValueKind == JsonValueKind.Object && principal.TryGetProperty("AWS", out var aws)
            && Strings(aws).Any(p => p == "*" || p == arn || Wildcard(p, arn) || AccountMatches(p, arn));
    }

    private static bool AccountMatches(string principal, string arn)
    {
        var account = arn.Split(':') is { Length: > 4 } parts ? parts[4] : "";
        return principal == account || principal == $"arn:aws:iam::{account}:root";
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        _ => [],
    };

    private static bool Wildcard(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
