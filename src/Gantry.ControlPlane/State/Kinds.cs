namespace Gantry.ControlPlane.State;

/// <summary>
/// The kinds of documents in the store and how their keys are built. Resources that live in a cluster
/// are keyed "&lt;cluster&gt;/&lt;id&gt;" so a cluster's contents are one prefix scan.
/// </summary>
public static class Kinds
{
    public const string Cluster = "cluster";
    public const string ContainerInstance = "container-instance";
    public const string Service = "service";
    public const string Task = "task";
    public const string TaskDefinition = "task-definition";
    public const string TaskDefinitionFamily = "task-definition-family";
    public const string JoinToken = "join-token";
    public const string Node = "node";

    /// <summary>A capacity provider made with CreateCapacityProvider, keyed by its name (FARGATE and FARGATE_SPOT are not stored).</summary>
    public const string CapacityProvider = "capacity-provider";

    /// <summary>Which node holds an instance id in a cluster: key "&lt;cluster&gt;/&lt;instance id&gt;", body the node id.</summary>
    public const string NodeInstance = "node-instance";

    /// <summary>RunTask's clientToken: key "&lt;cluster&gt;/&lt;token&gt;", body the ARNs of the tasks it launched, so a
    /// retried request starts nothing new.</summary>
    public const string TaskClientToken = "task-client-token";

    /// <summary>
    /// What a stopped task cost (<c>UsageRecord</c>), kept after the task itself is gone: key
    /// "&lt;stop time&gt;/&lt;cluster&gt;/&lt;task id&gt;" (<see cref="UsageKey"/>), so records list in the order tasks stopped
    /// and a window's usage is read from the window's start on.
    /// </summary>
    public const string Usage = "usage";

    /// <summary>Which replica an instance's agent is connected to: key "&lt;cluster&gt;/&lt;instance id&gt;" (<c>AgentLink</c>).</summary>
    public const string AgentLink = "agent-link";

    /// <summary>A control-plane replica's heartbeat: key its replica id (<c>ReplicaRecord</c>).</summary>
    public const string Replica = "replica";

    /// <summary>The prefix of every key in a cluster.</summary>
    public static string InCluster(string cluster) => cluster + "/";

    /// <summary>The key of a resource in a cluster: a container instance, service or task (by id or name), a node
    /// instance or a client token.</summary>
    public static string InCluster(string cluster, string id) => $"{cluster}/{id}";

    /// <summary>The key of a task's usage record.</summary>
    public static string UsageKey(DateTimeOffset stop, string cluster, string taskId) => $"{UsageTime(stop)}/{cluster}/{taskId}";

    /// <summary>A time as usage keys begin: fixed width, so keys sort bytewise in time order.</summary>
    public static string UsageTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>'#' sorts below every family character, so keys order by family, then revision.</summary>
    public static string TaskDefinitionKey(string family, int revision) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{family}#{revision:D10}");

    public static string TaskDefinitionFamilyPrefix(string family) => family + "#";
}
