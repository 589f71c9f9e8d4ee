using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.TaskDefinitions;

/// <summary>A stored task definition revision with its tags (the wire TaskDefinition has no tags member).</summary>
public sealed record TaskDefinitionRecord(TaskDefinition Definition, IReadOnlyList<Tag> Tags);

/// <summary>Per-family bookkeeping: the newest revision ever issued and the newest ACTIVE one (0 when none).</summary>
public sealed record TaskDefinitionFamilyRecord(string Family, int LatestRevision, int LatestActiveRevision);
