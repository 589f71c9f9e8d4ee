using Gantry.Domain.ServiceDiscovery;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// A namespace as stored: the shape GetNamespace returns (its <c>ServiceCount</c> kept in step by every commit that
/// creates or deletes a service of it), its tags, and what Cloud Map keeps beside it.
/// </summary>
/// <param name="Vpc">The VPC id a private DNS namespace was created for (any id: Gantry has no VPCs yet); null for HTTP namespaces.</param>
/// <param name="CreateOperationId">The CREATE_NAMESPACE operation: a create retried with the same CreatorRequestId answers it again.</param>
public sealed record DiscoveryNamespaceRecord(DiscoveryNamespace Namespace, IReadOnlyList<DiscoveryTag> Tags, string? Vpc, string CreateOperationId)
{
    public string Id => Namespace.Id!;

    public string Name => Namespace.Name!;

    public bool IsPrivateDns => Namespace.Type == NamespaceTypeValues.DNS_PRIVATE;
}

/// <summary>
/// A service as stored: the shape GetService returns (its <c>InstanceCount</c> kept in step by registrations), its tags,
/// the name of its namespace (DiscoverInstances answers it) and its instances' revision.
/// </summary>
/// <param name="InstancesRevision">Bumped by every registration that changes an instance and every deregistration; health changes leave it.</param>
public sealed record DiscoveryServiceRecord(DiscoveryService Service, IReadOnlyList<DiscoveryTag> Tags, string NamespaceName, long InstancesRevision)
{
    public string Id => Service.Id!;

    public string Name => Service.Name!;

    /// <summary>Whether instances have a custom health status (HEALTHY/UNHEALTHY) rather than UNKNOWN.</summary>
    public bool HasCustomHealth => Service.HealthCheckCustomConfig is not null;
}

/// <summary>A registered instance of a service.</summary>
/// <param name="HealthStatus">HEALTHY or UNHEALTHY with a custom health check, otherwise UNKNOWN (<see cref="HealthStatusValues"/>).</param>
public sealed record DiscoveryInstanceRecord(string ServiceId, string InstanceId, IReadOnlyDictionary<string, string> Attributes, string? CreatorRequestId,
    string HealthStatus, DateTimeOffset RegisteredAt);

/// <summary>
/// An operation as GetOperation returns it, with the namespace and service it concerns (ListOperations filters on them).
/// Gantry completes every operation in the commit that records it, so it is stored SUCCESS.
/// </summary>
public sealed record DiscoveryOperationRecord(DiscoveryOperation Operation, string? NamespaceId, string? ServiceId)
{
    public string Id => Operation.Id!;
}

/// <summary>A name taken by the namespace or service <paramref name="Id"/>.</summary>
public sealed record DiscoveryNameClaim(string Id);
