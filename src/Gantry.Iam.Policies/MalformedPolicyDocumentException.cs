namespace Gantry.Iam.Policies;

/// <summary>A policy document IAM would refuse with <c>MalformedPolicyDocument</c>; the message is IAM's.</summary>
public sealed class MalformedPolicyDocumentException : Exception
{
    /// <summary>A refusal with IAM's message.</summary>
    public MalformedPolicyDocumentException(string message)
        : base(message)
    {
    }

    /// <summary>A refusal with IAM's message and what caused it.</summary>
    public MalformedPolicyDocumentException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>For serializers; use the message overloads.</summary>
    public MalformedPolicyDocumentException()
        : base(PolicyErrors.Syntax)
    {
    }
}
