namespace Gantry.Scheduling;

/// <summary>An ECS placement strategy (<c>PlacementStrategy</c> on the wire).</summary>
/// <param name="Type"><c>binpack</c>, <c>spread</c> or <c>random</c>.</param>
/// <param name="Field">For <c>binpack</c>: <c>cpu</c> or <c>memory</c>. For <c>spread</c>: <c>instanceId</c>,
/// <c>host</c> (same effect) or <c>attribute:NAME</c>. Unused for <c>random</c>.</param>
public sealed record PlacementStrategySpec(string Type, string? Field)
{
    /// <summary>A strategy as a request gives it: <c>binpack</c>'s field in either case (ECS accepts <c>CPU</c> and
    /// <c>MEMORY</c>), the others' as given.</summary>
    public static PlacementStrategySpec Of(string type, string? field) =>
        new(type, type == "binpack" ? field?.ToLowerInvariant() : field);
}
