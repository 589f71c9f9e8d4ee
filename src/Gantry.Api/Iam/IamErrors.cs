using Gantry.Domain.Errors;

namespace Gantry.Api.Iam;

/// <summary>The IAM errors of server certificates, by model shape name, with the messages IAM writes.</summary>
public static class IamErrors
{
    public static AwsException Validation(string message) => new("ValidationError", message);

    public static AwsException Missing(string field) =>
        Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    public static AwsException InvalidInput(string message) => new("InvalidInputException", message);

    public static AwsException MalformedCertificate(string message) => new("MalformedCertificateException", message);

    public static AwsException KeyPairMismatch() =>
        new("KeyPairMismatchException", "The public key certificate and the private key do not match.");

    public static AwsException AlreadyExists(string name) => new("EntityAlreadyExistsException", $"The Server Certificate with name {name} already exists.");

    public static AwsException NoSuchEntity(string name) => new("NoSuchEntityException", $"The Server Certificate with name {name} cannot be found.");

    public static AwsException DeleteConflict(string id, string listenerArn) => new("DeleteConflictException",
        $"Certificate: {id} is currently in use by {listenerArn}. Please remove it first before deleting it from IAM.");
}
