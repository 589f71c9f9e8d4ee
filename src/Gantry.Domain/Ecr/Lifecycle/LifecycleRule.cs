namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>One rule of a lifecycle policy; rules apply in ascending <see cref="RulePriority"/>.</summary>
public sealed record LifecycleRule(int RulePriority, string? Description, LifecycleSelection Selection, LifecycleActionType Action);
