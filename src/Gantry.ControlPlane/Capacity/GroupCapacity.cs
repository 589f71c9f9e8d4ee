using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Ecs;

namespace Gantry.ControlPlane.Capacity;

/// <summary>What <see cref="Scheduling.Capacity.CapacityProviderSplit"/> needs from the store: how many tasks of a group
/// each capacity provider runs.</summary>
public static class GroupCapacity
{
    /// <summary>
    /// Tasks of <paramref name="group"/> (<c>service:NAME</c> or <c>family:NAME</c>) that are meant to keep running
    /// (desired status not STOPPED, not yet stopped), counted by <c>capacityProviderName</c>. Tasks launched without a
    /// provider (plain launch types) are not counted.
    /// </summary>
    public static Dictionary<string, int> Running(IEnumerable<TaskRecord> tasks, string group)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return tasks
            .Where(t => t.Task.Group == group && t.Task.DesiredStatus != DesiredStatusValues.STOPPED
                && !Domain.Tasks.TaskStatus.IsTerminal(t.Task.LastStatus) && t.Task.CapacityProviderName is not null)
            .GroupBy(t => t.Task.CapacityProviderName!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }
}
