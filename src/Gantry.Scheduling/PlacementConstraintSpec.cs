namespace Gantry.Scheduling;

/// <summary>An ECS placement constraint (<c>PlacementConstraint</c> on the wire).</summary>
/// <param name="Type"><c>distinctInstance</c> (no expression allowed) or <c>memberOf</c>.</param>
/// <param name="Expression">For <c>memberOf</c>: a cluster query language expression (see <see cref="ClusterQuery"/>).</param>
public sealed record PlacementConstraintSpec(string Type, string? Expression);
