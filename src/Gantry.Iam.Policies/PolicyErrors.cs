namespace Gantry.Iam.Policies;

/// <summary>IAM's <c>MalformedPolicyDocument</c> messages, in one table (wording as IAM returns it).</summary>
public static class PolicyErrors
{
    /// <summary>Not JSON, not an object, an unknown element, a wrong type, a missing or unknown Effect, both
    /// Action and NotAction, an unknown condition operator.</summary>
    public const string Syntax = "Syntax errors in policy.";

    /// <summary>A Principal or NotPrincipal in an identity-based (or session) policy.</summary>
    public const string PrincipalInIdentityPolicy = "Policy document should not specify a principal.";

    /// <summary>A resource-based policy statement naming nobody.</summary>
    public const string MissingPrincipal = "Missing required field Principal";

    /// <summary>A managed policy without <c>"Version": "2012-10-17"</c>.</summary>
    public const string VersionTooOld = "Policy document must be version 2012-10-17 or greater.";

    /// <summary>An Effect other than exactly "Allow" or "Deny" (e.g. "allow").</summary>
    public const string LegacyParsing = "The policy failed legacy parsing";

    /// <summary>Two statements with the same Sid.</summary>
    public const string DuplicateSid = "Statement IDs (SID) in a single policy must be unique.";

    /// <summary>A statement without Action or NotAction, or with an empty list.</summary>
    public const string MissingActions = "Policy statement must contain actions.";

    /// <summary>An identity-based statement without Resource or NotResource, or with an empty list.</summary>
    public const string MissingResources = "Policy statement must contain resources.";

    /// <summary>An action without "service:".</summary>
    public const string MissingVendor = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";

    /// <summary>An action with two colons.</summary>
    public const string TooManyColons = "Actions/Condition can contain only one colon.";

    /// <summary>A service prefix with characters outside letters, digits, '-' and '.'.</summary>
    public static string InvalidVendor(string vendor) => $"Vendor {vendor} is not valid";

    /// <summary>A resource that is neither "*" nor an ARN.</summary>
    public static string ResourceNotArn(string resource) => $"Resource {resource} must be in ARN format or \"*\".";
}
