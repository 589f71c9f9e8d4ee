using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.Store;

namespace Gantry.ControlPlane.Capacity;

/// <summary>Reads the stored capacity providers: what launch code needs to turn a node-group provider's name into the
/// container instances it may use (<see cref="CapacityProviderRecord.Matches(Domain.Ecs.ContainerInstance)"/>).</summary>
public sealed class CapacityProviderDirectory(Documents documents)
{
    /// <summary>The ACTIVE node-group provider of that name; null for FARGATE, FARGATE_SPOT, unknown or deleted names.</summary>
    public async Task<CapacityProviderRecord?> FindActiveAsync(string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (FargatePool.IsProvider(name))
        {
            return null;
        }
        var found = await documents.GetAsync<CapacityProviderRecord>(Kinds.CapacityProvider, name, ct).ConfigureAwait(false);
        return found is { Value.IsActive: true } ? found.Value : null;
    }

    /// <summary>Every stored provider (deleted ones included), in name order, with store versions.</summary>
    public Task<IReadOnlyList<Versioned<CapacityProviderRecord>>> ListAsync(CancellationToken ct) =>
        documents.ListAllAsync<CapacityProviderRecord>(Kinds.CapacityProvider, null, ct);
}
