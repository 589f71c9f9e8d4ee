namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// The store kinds of AWS Cloud Map and how their keys are built. Resources are keyed by their ids; names are claimed
/// by small index documents, so a name is taken once (a create commits its claim with <c>MustNotExist</c>) and
/// DiscoverInstances finds a namespace and a service by name without a scan. A service's instances sit under its id,
/// so they are one prefix scan.
/// </summary>
public static class DiscoveryKinds
{
    /// <summary><see cref="DiscoveryNamespaceRecord"/>, key the namespace id.</summary>
    public const string Namespace = "sd-namespace";

    /// <summary><see cref="DiscoveryServiceRecord"/>, key the service id.</summary>
    public const string Service = "sd-service";

    /// <summary><see cref="DiscoveryInstanceRecord"/>, key "&lt;service id&gt;/&lt;instance id&gt;" (<see cref="InstanceKey"/>).</summary>
    public const string Instance = "sd-instance";

    /// <summary><see cref="DiscoveryOperationRecord"/>, key the operation id.</summary>
    public const string Operation = "sd-operation";

    /// <summary><see cref="DiscoveryNameClaim"/> of a namespace, key its name (its HttpName: DiscoverInstances looks namespaces up by it).</summary>
    public const string NamespaceName = "sd-namespace-name";

    /// <summary><see cref="DiscoveryNameClaim"/> of a service, key "&lt;namespace id&gt;/&lt;lowercased name&gt;" (<see cref="ServiceNameKey"/>).</summary>
    public const string ServiceName = "sd-service-name";

    public static string InstanceKey(string serviceId, string instanceId) => $"{serviceId}/{instanceId}";

    /// <summary>Service names differ by more than case (they are DNS names in DNS namespaces).</summary>
    public static string ServiceNameKey(string namespaceId, string name) => $"{namespaceId}/{name.ToLowerInvariant()}";
}
