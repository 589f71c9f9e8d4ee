using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Capacity;

/// <summary>
/// A capacity provider created with CreateCapacityProvider, as stored (kind <c>capacity-provider</c>, key its name): the
/// ECS shape DescribeCapacityProviders returns, the node group its Auto Scaling group ARN selects, and when it was
/// deleted (INACTIVE ones stay describable for <see cref="KeptAfterDelete"/>, like ECS). FARGATE and FARGATE_SPOT are
/// never stored (<see cref="Gantry.ControlPlane.Fargate.FargatePool"/>).
/// </summary>
public sealed record CapacityProviderRecord(CapacityProvider Provider, string NodeGroup, DateTimeOffset? DeletedAt = null)
{
    /// <summary>How long a deleted provider is still described (as INACTIVE) before it is gone.</summary>
    public static readonly TimeSpan KeptAfterDelete = TimeSpan.FromHours(1);

    public string Name => Provider.Name!;

    public bool IsActive => Provider.Status == CapacityProviderStatusValues.ACTIVE;

    /// <summary>Whether the provider is still shown at <paramref name="now"/>.</summary>
    public bool Visible(DateTimeOffset now) => DeletedAt is null || now - DeletedAt.Value < KeptAfterDelete;

    /// <summary>Whether a container instance belongs to this provider's capacity: its attribute
    /// <see cref="NodeGroups.Attribute"/> equals the provider's node group.</summary>
    public bool Matches(ContainerInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return (instance.Attributes ?? []).Any(a => a.Name == NodeGroups.Attribute && a.Value == NodeGroup);
    }

    /// <summary>The same test on the scheduler's view of an instance (<see cref="Scheduling.Candidate.Attributes"/>).</summary>
    public bool Matches(IReadOnlyDictionary<string, string?> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.TryGetValue(NodeGroups.Attribute, out var value) && value == NodeGroup;
    }
}
