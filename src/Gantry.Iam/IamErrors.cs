using Gantry.Domain.Errors;

namespace Gantry.Iam;

/// <summary>IAM's errors, by model shape name, with the messages IAM writes.</summary>
public static class IamErrors
{
    public static AwsException Validation(string message) => new("ValidationError", message);

    public static AwsException Missing(string field) =>
        Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    public static AwsException Pattern(string field, string value, string pattern) =>
        Validation($"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");

    public static AwsException Length(string field, string value, int max) =>
        Validation($"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have length less than or equal to {max}");

    public static AwsException InvalidInput(string message) => new("InvalidInputException", message);

    public static AwsException MalformedPolicy(string message) => new("MalformedPolicyDocumentException", message);

    public static AwsException MalformedCertificate(string message) => new("MalformedCertificateException", message);

    public static AwsException KeyPairMismatch() =>
        new("KeyPairMismatchException", "The public key certificate and the private key do not match.");

    public static AwsException AlreadyExists(string name) => new("EntityAlreadyExistsException", $"The Server Certificate with name {name} already exists.");

    public static AwsException NoSuchEntity(string name) => new("NoSuchEntityException", $"The Server Certificate with name {name} cannot be found.");

    public static AwsException DeleteConflict(string id, string listenerArn) => new("DeleteConflictException",
        $"Certificate: {id} is currently in use by {listenerArn}. Please remove it first before deleting it from IAM.");

    /// <summary>"The user with name X cannot be found." (user, group, role).</summary>
    public static AwsException NoSuch(EntityKind kind, string name) =>
        new("NoSuchEntityException", $"The {kind.ToString().ToLowerInvariant()} with name {name} cannot be found.");

    /// <summary>"User with name X already exists." (user, group, role).</summary>
    public static AwsException Exists(EntityKind kind, string name) => new("EntityAlreadyExistsException", $"{kind} with name {name} already exists.");

    public static AwsException NoSuchInline(EntityKind kind, string policyName) =>
        new("NoSuchEntityException", $"The {kind.ToString().ToLowerInvariant()} policy with name {policyName} cannot be found.");

    public static AwsException NoSuchPolicy(string arn) => new("NoSuchEntityException", $"Policy {arn} does not exist or is not attachable.");

    public static AwsException NotAttached(string arn) => new("NoSuchEntityException", $"Policy {arn} was not found.");

    public static AwsException NoSuchPolicyVersion(string arn, string versionId) =>
        new("NoSuchEntityException", $"Policy {arn} version {versionId} does not exist or is not attachable.");

    public static AwsException PolicyExists(string name) =>
        new("EntityAlreadyExistsException", $"A policy called {name} already exists. Duplicate names are not allowed.");

    public static AwsException NoSuchAccessKey(string id) => new("NoSuchEntityException", $"The Access Key with id {id} cannot be found.");

    public static AwsException Conflict(string message) => new("DeleteConflictException", message);

    public static AwsException Limit(string message) => new("LimitExceededException", message);

    public static AwsException ConcurrentModification() =>
        new("ConcurrentModificationException", "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.");
}
