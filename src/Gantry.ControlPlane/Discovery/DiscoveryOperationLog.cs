using Gantry.Domain.Arns;
using Gantry.Domain.ServiceDiscovery;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// The records of Cloud Map's asynchronous operations (CreateHttpNamespace, DeleteNamespace, RegisterInstance, …): each
/// answers an OperationId, and Gantry, which does the work in the call, stores it SUCCESS in the same commit.
/// </summary>
public static class DiscoveryOperationLog
{
    /// <summary>The keys of <c>Targets</c> (the model's OperationTargetType).</summary>
    public const string NamespaceTarget = "NAMESPACE";

    public const string ServiceTarget = "SERVICE";

    public const string InstanceTarget = "INSTANCE";

    /// <summary>
    /// A new operation of <paramref name="type"/> (<see cref="OperationTypeValues"/>) that succeeded at <paramref name="now"/>, with
    /// a fresh id unless <paramref name="id"/> is given.
    /// </summary>
    public static DiscoveryOperationRecord Succeeded(string type, IReadOnlyDictionary<string, string> targets, string? namespaceId, string? serviceId,
        DateTimeOffset now, string? id = null) =>
        new(new DiscoveryOperation
        {
            Id = id ?? DiscoveryArns.NewOperationId(),
            Type = type,
            Status = OperationStatusValues.SUCCESS,
            CreateDate = now,
            UpdateDate = now,
            Targets = targets,
        }, namespaceId, serviceId);
}
