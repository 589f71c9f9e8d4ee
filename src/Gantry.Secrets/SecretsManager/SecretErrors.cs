using Gantry.Domain.Errors;

namespace Gantry.Secrets.SecretsManager;

/// <summary>The Secrets Manager error shapes (aws-models/secrets-manager-2017-10-17.json), one factory each, with AWS's wording.</summary>
public static class SecretErrors
{
    public const string MarkedForDeletion = "You can't perform this operation on the secret because it was marked for deletion.";

    public static AwsException NotFound() => new("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

    public static AwsException VersionNotFound(string selector, string value) =>
        new("ResourceNotFoundException", $"Secrets Manager can't find the specified secret value for {selector}: {value}");

    public static AwsException Exists(string name) => new("ResourceExistsException", $"The operation failed because the secret {name} already exists.");

    public static AwsException VersionExists() => new("ResourceExistsException", "You can't modify an existing version, you can only create a new version.");

    public static AwsException Invalid(string message) => new("InvalidParameterException", message);

    public static AwsException InvalidRequest(string message) => new("InvalidRequestException", message);

    public static AwsException Deleted() => InvalidRequest(MarkedForDeletion);

    public static AwsException MalformedPolicy(string message) => new("MalformedPolicyDocumentException", message);

    public static AwsException InvalidNextToken() => new("InvalidNextTokenException", "The NextToken value is invalid.");
}
