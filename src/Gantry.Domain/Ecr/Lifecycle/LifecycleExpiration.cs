namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>An image a lifecycle policy expires, and the rulePriority of the rule that expires it.</summary>
public sealed record LifecycleExpiration(LifecycleImage Image, int RulePriority);
