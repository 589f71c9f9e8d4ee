using Gantry.Domain.Ecs;

namespace Gantry.Agent.Engine;

/// <summary>Applies a task's containerOverrides (command, environment, cpu, memory) to its container definitions.</summary>
public static class ContainerOverrides
{
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
}
