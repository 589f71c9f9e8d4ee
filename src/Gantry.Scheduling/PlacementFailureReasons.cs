namespace Gantry.Scheduling;

/// <summary>
/// The <c>reason</c> strings ECS reports in RunTask/StartTask <c>failures</c> and service events.
/// </summary>
/// <remarks>
/// <c>RESOURCE:*</c>, <c>AGENT</c> and <c>ATTRIBUTE</c> are from the ECS developer guide, "API failure reasons"
/// (api_failures_messages). The constraint and empty-cluster texts are the ones ECS returns verbatim
/// (e.g. <c>Reasons : ["MemberOf placement constraint unsatisfied.","AGENT"]</c> from RunTask, and the
/// "encountered error "DistinctInstance placement constraint unsatisfied."" service event).
/// </remarks>
public static class PlacementFailureReasons
{
    /// <summary>Not enough unreserved CPU units on the instance.</summary>
    public const string Cpu = "RESOURCE:CPU";

    /// <summary>Not enough unreserved memory on the instance.</summary>
    public const string Memory = "RESOURCE:MEMORY";

    /// <summary>A static host port the task needs is taken (or the task asks for the same host port twice).</summary>
    public const string Ports = "RESOURCE:PORTS";

    /// <summary>The instance's agent is disconnected.</summary>
    public const string Agent = "AGENT";

    /// <summary>The instance lacks an attribute the task definition requires.</summary>
    public const string Attribute = "ATTRIBUTE";

    /// <summary>The instance already runs a task of the same group and a <c>distinctInstance</c> constraint applies.</summary>
    public const string DistinctInstance = "DistinctInstance placement constraint unsatisfied.";

    /// <summary>The instance does not satisfy a <c>memberOf</c> expression.</summary>
    public const string MemberOf = "MemberOf placement constraint unsatisfied.";

    /// <summary>The cluster has no active container instance (reported once, without an ARN).</summary>
    public const string NoContainerInstances = "No Container Instances were found in your cluster.";
}
