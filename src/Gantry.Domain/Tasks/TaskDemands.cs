using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>What a task needs from a container instance: CPU units, MiB, static host ports.</summary>
public static class TaskDemands
{
    /// <summary>What the task holds on its instance while it runs: <see cref="Cpu"/>, <see cref="Memory"/>, <see cref="StaticPorts"/>.</summary>
    public static TaskReservation Reservation(TaskDefinition definition, TaskOverride? overrides) =>
        new(Cpu(definition, overrides), Memory(definition, overrides), StaticPorts(definition));

    /// <summary>Task-level cpu when set, else the sum of the containers' cpu (after overrides).</summary>
    public static int Cpu(TaskDefinition definition, TaskOverride? overrides)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Parse(overrides?.Cpu ?? definition.Cpu) is { } task)
        {
            return task;
        }
        return ContainerOverrides.Apply(definition, overrides).Sum(c => c.Cpu ?? 0);
    }

    /// <summary>Task-level memory when set, else per container the hard limit or, without one, the reservation.</summary>
    public static int Memory(TaskDefinition definition, TaskOverride? overrides)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Parse(overrides?.Memory ?? definition.Memory) is { } task)
        {
            return task;
        }
        return ContainerOverrides.Apply(definition, overrides).Sum(c => c.Memory ?? c.MemoryReservation ?? 0);
    }

    /// <summary>Host ports the task takes on its instance: host mode binds containerPort, bridge binds non-zero hostPort.</summary>
    public static IReadOnlyList<int> StaticPorts(TaskDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var mode = definition.NetworkMode ?? "bridge";
        if (mode is "awsvpc" or "none")
        {
            return [];
        }
        return [.. (definition.ContainerDefinitions ?? []).SelectMany(c => c.PortMappings ?? [])
            .Where(p => p.Protocol is null or "tcp")
            .Select(p => mode == "host" ? p.HostPort ?? p.ContainerPort ?? 0 : p.HostPort ?? 0)
            .Where(p => p > 0)];
    }

    /// <summary>
    /// Host ports an awsvpc task with a public IP takes on its node: every tcp container port (Fargate's hostPort equals
    /// its containerPort), published on the node's address. Empty for every other network mode.
    /// </summary>
    public static IReadOnlyList<int> PublicPorts(TaskDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.NetworkMode != "awsvpc")
        {
            return [];
        }
        return [.. (definition.ContainerDefinitions ?? []).SelectMany(c => c.PortMappings ?? [])
            .Where(p => p.Protocol is null or "tcp" && p.ContainerPort is > 0)
            .Select(p => p.ContainerPort!.Value)];
    }

    private static int? Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
