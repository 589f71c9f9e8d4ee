using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// The capacity a RunTask or CreateService launches with (<see cref="CapacityStrategy.Resolve"/>), and what a launch on
/// Fargate requires of the rest of the request: a definition compatible with FARGATE, awsvpc with subnets, no placement
/// constraints or strategies (Fargate places tasks itself), no DAEMON scheduling.
/// </summary>
public static class LaunchCapacityRules
{
    public const string IncompatibleMessage = "Task definition does not support launch_type FARGATE.";

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
        if (network?.AwsvpcConfiguration is { } awsvpc && awsvpc.Subnets is not { Count: > 0 })
        {
            throw EcsErrors.InvalidParameter("subnets can not be empty.");
        }
    }
}
