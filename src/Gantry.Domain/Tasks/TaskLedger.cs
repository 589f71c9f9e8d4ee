using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>
/// The bookkeeping that must change together with a task: its container instance's remaining resources and
/// running/pending counts, and its cluster's running/pending counts (see <see cref="TaskCounter"/>). Pure: callers
/// commit the results in one commit.
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

    /// <summary>Moves a task's contribution from counter <paramref name="from"/> to <paramref name="to"/>; to
    /// <see cref="TaskCounter.None"/> also gives back what it held.</summary>
    public static (ContainerInstance? Instance, Cluster Cluster) Move(string from, string to, TaskReservation held, ContainerInstance? instance, Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(cluster);
        int Delta(string counter) => (to == counter ? 1 : 0) - (from == counter ? 1 : 0);
        var pending = Delta(TaskCounter.Pending);
        var running = Delta(TaskCounter.Running);
        cluster = cluster with
        {
            PendingTasksCount = Math.Max(0, (cluster.PendingTasksCount ?? 0) + pending),
            RunningTasksCount = Math.Max(0, (cluster.RunningTasksCount ?? 0) + running),
        };
        if (instance is not null)
        {
            if (to == TaskCounter.None && from != TaskCounter.None)
            {
                instance = Adjust(instance, held.Cpu, held.Memory, held.Ports, add: false);
            }
            instance = instance with
            {
                PendingTasksCount = Math.Max(0, (instance.PendingTasksCount ?? 0) + pending),
                RunningTasksCount = Math.Max(0, (instance.RunningTasksCount ?? 0) + running),
                Version = (instance.Version ?? 0) + 1,
            };
        }
        return (instance, cluster);
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
