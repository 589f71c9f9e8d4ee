namespace Gantry.Domain.Errors;

/// <summary>The ECS error shapes (aws-models/ecs-2014-11-13.json), one factory each.</summary>
public static class EcsErrors
{
    public static AwsException Client(string message) => new("ClientException", message);
    public static AwsException InvalidParameter(string message) => new("InvalidParameterException", message);
    public static AwsException PlatformUnknown(string message) => new("PlatformUnknownException", message);
    public static AwsException NamespaceNotFound(string message = "The specified namespace wasn't found.") => new("NamespaceNotFoundException", message);

    /// <summary>What ECS has and Gantry does not do yet: refused, never silently ignored. <paramref name="field"/> is the request path.</summary>
    public static string NotSupportedYet(string field) => $"{field} is not supported by Gantry yet.";

    /// <summary>A request member Gantry does not implement yet, refused with InvalidParameterException.</summary>
    public static AwsException UnsupportedParameter(string field) => InvalidParameter(NotSupportedYet(field));
    public static AwsException ClusterNotFound(string message = "Cluster not found.") => new("ClusterNotFoundException", message);
    public static AwsException ClusterContainsContainerInstances(string message) => new("ClusterContainsContainerInstancesException", message);
    public static AwsException ClusterContainsServices(string message) => new("ClusterContainsServicesException", message);
    public static AwsException ClusterContainsTasks(string message) => new("ClusterContainsTasksException", message);
    public static AwsException ResourceInUse(string message) => new("ResourceInUseException", message);
    public static AwsException ResourceNotFound(string message) => new("ResourceNotFoundException", message);
    public static AwsException ServiceNotFound(string message = "Service not found.") => new("ServiceNotFoundException", message);
    public static AwsException ServiceNotActive(string message = "Service was not ACTIVE.") => new("ServiceNotActiveException", message);
}
