using Gantry.Iam.Policies;

namespace Gantry.Secrets.SecretsManager;

/// <summary>A secret's resource policy is an IAM resource-based policy (Principal required), validated by Gantry.Iam.Policies.</summary>
public static class SecretPolicies
{
    public const int MaxLength = 20480;

    /// <summary>What is wrong with <paramref name="policy"/>, or null when it is a valid resource policy.</summary>
    public static string? Problem(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.Length is 0 or > MaxLength
            ? $"A resource policy has 1 to {MaxLength} characters."
            : PolicyDocument.Validate(policy, PolicyKind.Resource);
    }
}
