namespace Gantry.Reconciliation;

/// <summary>Deterministic task orderings (ties broken by task ID, ordinal).</summary>
internal static class TaskOrder
{
    /// <summary>Which tasks of a deployment go first: not healthy, then the oldest (not yet started first).</summary>
    public static IEnumerable<TaskFacts> StopFirst(IEnumerable<TaskFacts> tasks) =>
        tasks.OrderBy(f => f.Healthy)
            .ThenBy(f => f.Task.StartedAt ?? DateTimeOffset.MinValue)
            .ThenBy(f => f.Id, StringComparer.Ordinal);

    /// <summary>Which surplus tasks go first when there are more than desired: not healthy, then the newest.</summary>
    public static IEnumerable<TaskFacts> SurplusFirst(IEnumerable<TaskFacts> tasks) =>
        tasks.OrderBy(f => f.Healthy)
            .ThenByDescending(f => f.Task.StartedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(f => f.Id, StringComparer.Ordinal);

    /// <summary>Which task of several stays: healthy, then the oldest.</summary>
    public static IEnumerable<TaskFacts> KeepFirst(IEnumerable<TaskFacts> tasks) =>
        tasks.OrderByDescending(f => f.Healthy)
            .ThenBy(f => f.Task.StartedAt ?? DateTimeOffset.MaxValue)
            .ThenBy(f => f.Id, StringComparer.Ordinal);
}
