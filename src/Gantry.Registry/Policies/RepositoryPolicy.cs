using System.Text.Json;

namespace Gantry.Registry.Policies;

/// <summary>
/// ECR's repository policies: the actions `/v2/` requests stand for, and the checks SetRepositoryPolicy makes before
/// storing one. Policies are decided with the caller's identity policies, as IAM does (Gantry.Api's RequestAuthorizer).
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

    private static List<JsonElement> Statements(JsonElement statements) =>
        statements.ValueKind == JsonValueKind.Array ? [.. statements.EnumerateArray()] : [statements];
}
