namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>A validated ECR lifecycle policy: at least one rule, sorted by ascending (unique) rulePriority.</summary>
public sealed record LifecyclePolicy(IReadOnlyList<LifecycleRule> Rules);
