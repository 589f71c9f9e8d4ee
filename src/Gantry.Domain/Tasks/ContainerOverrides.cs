using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>Applies a task's containerOverrides (command, environment, cpu, memory) to its container definitions.</summary>
public static class ContainerOverrides
{
    /// <summary>One container definition with its override applied (unchanged when the override does not name it).</summary>
    public static ContainerDefinition Apply(ContainerDefinition definition, TaskOverride? overrides)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var match = overrides?.ContainerOverrides?.FirstOrDefault(o => o.Name == definition.Name);
        if (match is null)
        {
            return definition;
        }
        var environment = (definition.Environment ?? []).Where(e => match.Environment?.All(o => o.Name != e.Name) ?? true)
            .Concat(match.Environment ?? []).ToList();
        return definition with
        {
            Command = match.Command ?? definition.Command,
            Environment = environment,
            Cpu = match.Cpu ?? definition.Cpu,
            Memory = match.Memory ?? definition.Memory,
            MemoryReservation = match.MemoryReservation ?? definition.MemoryReservation,
        };
    }

    /// <summary>Every container definition of the task with its override applied, in definition order.</summary>
    public static IEnumerable<ContainerDefinition> Apply(TaskDefinition definition, TaskOverride? overrides)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return (definition.ContainerDefinitions ?? []).Select(c => Apply(c, overrides));
    }
}
