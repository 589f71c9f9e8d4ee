namespace Gantry.Domain.Errors;

/// <summary>The AWS Cloud Map error shapes (aws-models/servicediscovery-2017-03-14.json), one factory each, with Cloud Map's wording where known.</summary>
public static class DiscoveryErrors
{
    public static AwsException InvalidInput(string message) => new("InvalidInput", message);

    /// <summary>A required member left out, named by its request path.</summary>
    public static AwsException Missing(string field) => InvalidInput($"{field} is required.");

    /// <summary>What Cloud Map has and Gantry does not do: refused, never silently ignored.</summary>
    public static AwsException NotSupported(string what) => InvalidInput($"{what} not supported by Gantry.");

    public static AwsException NamespaceNotFound() => new("NamespaceNotFound", "Namespace not found");

    public static AwsException ServiceNotFound() => new("ServiceNotFound", "Service not found");

    public static AwsException InstanceNotFound(string instanceId) => new("InstanceNotFound", $"Instance not found: {instanceId}");

    public static AwsException OperationNotFound(string operationId) => new("OperationNotFound", $"Operation not found: {operationId}");

    public static AwsException NamespaceAlreadyExists(string name, string namespaceId) =>
        new("NamespaceAlreadyExists", $"Namespace with name {name} already exists: {namespaceId}");

    public static AwsException ServiceAlreadyExists(string name, string serviceId) =>
        new("ServiceAlreadyExists", $"Service with name {name} already exists: {serviceId}");

    public static AwsException DuplicateRequest(string operationId) =>
        new("DuplicateRequest", $"CreatorRequestId was already used by operation {operationId}");

    public static AwsException ResourceInUse(string message) => new("ResourceInUse", message);

    public static AwsException CustomHealthNotFound(string serviceId) =>
        new("CustomHealthNotFound", $"Service {serviceId} has no HealthCheckCustomConfig: its instances' health is not a custom health check");

    public static AwsException ResourceNotFound(string arn) => new("ResourceNotFoundException", $"Resource not found: {arn}");

    public static AwsException TooManyTags(string arn) =>
        new("TooManyTagsException", $"The list of tags on resource {arn} is over the quota of 50 tags");
}
