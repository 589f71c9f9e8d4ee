namespace Gantry.Domain.Ecr.Lifecycle;

/// <summary>An image as the lifecycle evaluator sees it: its digest (its identity), its tags and when it was pushed.</summary>
public sealed record LifecycleImage(string Digest, IReadOnlyList<string> Tags, DateTimeOffset PushedAt);
