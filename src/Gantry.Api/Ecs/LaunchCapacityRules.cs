using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// The capacity a RunTask or CreateService launches with (<see cref="CapacityStrategy.Resolve"/>), and what a launch on
/// Fargate requires of the rest of the request: a definition compatible with FARGATE, no placement
/// constraints or strategies (Fargate places tasks itself), no DAEMON scheduling; and of every awsvpc launch: subnets, and a
/// public IP only on Fargate.
/// </summary>
public static class LaunchCapacityRules
{
    public const string IncompatibleMessage = "Task definition does not support launch_type FARGATE.";

    /// <summary>ECS's refusal of <c>assignPublicIp ENABLED</c> on the EC2 and EXTERNAL launch types.</summary>
    public const string PublicIpLaunchTypeMessage = "Assign public IP is not supported for this launch type.";

    public static async Task<LaunchCapacity> ResolveAsync(Documents documents, string cluster, string? launchType,
        IReadOnlyList<CapacityProviderStrategyItem>? strategy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var stored = await documents.GetAsync<Cluster>(Kinds.Cluster, cluster, ct).ConfigureAwait(false);
        if (stored is not { Value.Status: "ACTIVE" })
        {
            throw EcsErrors.ClusterNotFound();
        }
        return CapacityStrategy.Resolve(stored.Value, launchType, strategy);
    }

    /// <summary>Refuses what a Fargate launch cannot take, and Fargate-only overrides on an EC2 launch.</summary>
    public static void Check(LaunchCapacity capacity, TaskDefinition definition, NetworkConfiguration? network, bool placement, bool daemon = false,
        TaskOverride? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(definition);
        if (overrides?.EphemeralStorage is { } storage)
        {
            if (!capacity.IsFargate)
            {
                throw EcsErrors.InvalidParameter("overrides.ephemeralStorage is only supported for tasks on Fargate.");
            }
            if (storage.SizeInGiB is not (>= 21 and <= 200))
            {
                throw EcsErrors.InvalidParameter("overrides.ephemeralStorage.sizeInGiB must be between 21 and 200.");
            }
        }
        CheckNetwork(capacity, definition, network);
        if (!capacity.IsFargate)
        {
            return;
        }
        if (definition.Compatibilities?.Contains(CompatibilityValues.FARGATE) != true)
        {
            throw EcsErrors.InvalidParameter(IncompatibleMessage);
        }
        if (daemon)
        {
            throw EcsErrors.InvalidParameter("The DAEMON scheduling strategy does not support the FARGATE launch type: use REPLICA.");
        }
        if (placement)
        {
            throw EcsErrors.InvalidParameter(
                "Task placement constraints and strategies are not supported with the FARGATE launch type: Fargate spreads tasks over its capacity itself.");
        }
    }

    /// <summary>
    /// The awsvpc configuration every launch type takes: subnets required (kept on the task's interface), and
    /// <c>assignPublicIp ENABLED</c> only on Fargate, where it publishes the containers' ports on the pool node's address.
    /// </summary>
    public static void CheckNetwork(LaunchCapacity capacity, TaskDefinition definition, NetworkConfiguration? network)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        ArgumentNullException.ThrowIfNull(definition);
        if (network?.AwsvpcConfiguration is not { } awsvpc)
        {
            return;
        }
        if (awsvpc.Subnets is not { Count: > 0 })
        {
            throw EcsErrors.InvalidParameter("subnets can not be empty.");
        }
        var assign = awsvpc.AssignPublicIp;
        if (assign is not null && !AssignPublicIpValues.All.Contains(assign))
        {
            throw EcsErrors.InvalidParameter($"networkConfiguration.awsvpcConfiguration.assignPublicIp '{assign}' is not one of ENABLED, DISABLED.");
        }
        if (assign != AssignPublicIpValues.ENABLED)
        {
            return;
        }
        if (!capacity.IsFargate)
        {
            throw EcsErrors.InvalidParameter(PublicIpLaunchTypeMessage);
        }
        foreach (var container in definition.ContainerDefinitions ?? [])
        {
            if (container.PortMappings?.Any(p => p.ContainerPortRange is not null) == true)
            {
                throw EcsErrors.InvalidParameter(
                    $"assignPublicIp ENABLED with a containerPortRange (container '{container.Name}') is not supported by Gantry yet.");
            }
        }
    }
}
