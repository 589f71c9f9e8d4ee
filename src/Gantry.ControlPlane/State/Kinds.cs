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

    /// <summary>Which node holds an instance id in a cluster: key "&lt;cluster&gt;/&lt;instance id&gt;", body the node id.</summary>
    public const string NodeInstance = "node-instance";

    public static string InCluster(string cluster) => cluster + "/";

    /// <summary>'#' sorts below every family character, so keys order by family, then revision.</summary>
    public static string TaskDefinitionKey(string family, int revision) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{family}#{revision:D10}");

    public static string TaskDefinitionFamilyPrefix(string family) => family + "#";
}
