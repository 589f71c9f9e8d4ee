using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>
/// The bookkeeping that must change together with a task: its container instance's remaining resources and
/// running/pending counts (see <see cref="TaskCounter"/>). Pure: callers commit the results in one commit. The
/// cluster's counts are not stored: they are counted from its tasks (a document every task changed was the hottest
/// of the store).
/// </summary>
public static class TaskLedger
{
    /// <summary>An instance after a new task was placed on it: resources taken, one more pending task.</summary>
    public static ContainerInstance Place(ContainerInstance instance, TaskReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(reservation);
        return Adjust(instance, -reservation.Cpu, -reservation.Memory, reservation.Ports, add: true) with
        {
            PendingTasksCount = (instance.PendingTasksCount ?? 0) + 1,
            Version = (instance.Version ?? 0) + 1,
        };
    }

    /// <summary>Moves a task's contribution to its instance's counts from counter <paramref name="from"/> to
    /// <paramref name="to"/>; to <see cref="TaskCounter.None"/> also gives back what it held.</summary>
    public static ContainerInstance Move(string from, string to, TaskReservation held, ContainerInstance instance)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(instance);
        int Delta(string counter) => (to == counter ? 1 : 0) - (from == counter ? 1 : 0);
        if (to == TaskCounter.None && from != TaskCounter.None)
        {
            instance = Adjust(instance, held.Cpu, held.Memory, held.Ports, add: false);
        }
        return instance with
        {
            PendingTasksCount = Math.Max(0, (instance.PendingTasksCount ?? 0) + Delta(TaskCounter.Pending)),
            RunningTasksCount = Math.Max(0, (instance.RunningTasksCount ?? 0) + Delta(TaskCounter.Running)),
            Version = (instance.Version ?? 0) + 1,
        };
    }

    /// <summary>The remaining CPU, memory and the used ports of an instance.</summary>
    public static (int Cpu, int Memory, IReadOnlySet<int> Ports) Remaining(ContainerInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var remaining = instance.RemainingResources ?? instance.RegisteredResources ?? [];
        int Integer(string name) => remaining.FirstOrDefault(r => r.Name == name)?.IntegerValue ?? 0;
        var ports = remaining.FirstOrDefault(r => r.Name == "PORTS")?.StringSetValue ?? [];
        return (Integer("CPU"), Integer("MEMORY"), ports.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet());
    }

    private static ContainerInstance Adjust(ContainerInstance instance, int cpu, int memory, IReadOnlyList<int> ports, bool add)
    {
        var remaining = (instance.RemainingResources ?? instance.RegisteredResources ?? []).ToList();
        var used = Remaining(instance).Ports.ToHashSet();
        foreach (var port in ports)
        {
            if (add)
            {
                used.Add(port);
            }
            else
            {
                used.Remove(port);
            }
        }
        var registeredPorts = instance.RegisteredResources?.FirstOrDefault(r => r.Name == "PORTS")?.StringSetValue ?? [];
        foreach (var reserved in registeredPorts)
        {
            used.Add(int.Parse(reserved, CultureInfo.InvariantCulture));
        }
        Resource Change(Resource r) => r.Name switch
        {
            "CPU" => r with { IntegerValue = (r.IntegerValue ?? 0) + cpu },
            "MEMORY" => r with { IntegerValue = (r.IntegerValue ?? 0) + memory },
            "PORTS" => r with { StringSetValue = [.. used.Order().Select(p => p.ToString(CultureInfo.InvariantCulture))] },
            _ => r,
        };
        return instance with { RemainingResources = [.. remaining.Select(Change)] };
    }
}
