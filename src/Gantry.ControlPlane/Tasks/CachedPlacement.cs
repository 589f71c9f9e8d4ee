using Gantry.Domain.Ecs;
using Gantry.Scheduling;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>One launch's share of <see cref="ClusterStateCache.PlaceAsync"/>: where its tasks go and the stored instances
/// they were placed from, or why its placement could not be computed (an invalid constraint or strategy).</summary>
public sealed record CachedPlacement(PlacementResult? Result, IReadOnlyDictionary<string, Versioned<ContainerInstance>> Instances, Exception? Error);
