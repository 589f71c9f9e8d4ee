namespace Gantry.Scheduling;

/// <summary>A task that already runs (or is being placed) on a <see cref="Candidate"/>.</summary>
/// <param name="TaskId">The task ID; tasks placed earlier in the same <see cref="Placement.Place"/> call get a
/// synthetic <c>pending-N</c> ID.</param>
/// <param name="Group">The task group (<c>service:NAME</c> for service tasks, <c>family:NAME</c> by default for
/// standalone tasks); what <c>spread</c>, <c>distinctInstance</c> and <c>task:group</c> look at.</param>
/// <param name="Family">The task definition family.</param>
/// <param name="TaskDefinitionArn">The task definition ARN, if known.</param>
public sealed record PlacedTask(string TaskId, string Group, string Family, string? TaskDefinitionArn);
