using Gantry.Iam.Policies.Parsing;

namespace Gantry.Iam.Policies;

/// <summary>Reading policy documents: validation with IAM's MalformedPolicyDocument messages, and compilation.</summary>
public static class PolicyDocument
{
    /// <summary>Parses and compiles <paramref name="json"/>, or throws <see cref="MalformedPolicyDocumentException"/>
    /// with IAM's message. <paramref name="requireCurrentVersion"/> is CreatePolicy's rule for managed policies
    /// (<c>"Version": "2012-10-17"</c> required).</summary>
    public static CompiledPolicy Parse(string json, PolicyKind kind, bool requireCurrentVersion = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        PolicyParser.Result result = PolicyParser.Parse(json, kind, requireCurrentVersion);
        return result.Policy ?? throw new MalformedPolicyDocumentException(result.Error!);
    }

    /// <summary>IAM's MalformedPolicyDocument message for <paramref name="json"/>, or null when it is valid.</summary>
    public static string? Validate(string json, PolicyKind kind, bool requireCurrentVersion = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        return PolicyParser.Parse(json, kind, requireCurrentVersion).Error;
    }
}
