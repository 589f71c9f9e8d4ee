using Gantry.Domain.Ecs;

namespace Gantry.Domain.Tasks;

/// <summary>The order a task's containers start in: after the containers they depend on (<c>dependsOn</c>).</summary>
public static class ContainerDependencies
{
    /// <summary>Containers ordered so each comes after the containers it depends on (definition order otherwise).
    /// Stopping goes the other way round.</summary>
    public static IReadOnlyList<ContainerDefinition> StartOrder(IReadOnlyList<ContainerDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var ordered = new List<ContainerDefinition>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        void Visit(ContainerDefinition definition)
        {
            if (ordered.Contains(definition) || !visiting.Add(definition.Name!))
            {
                return;
            }
            foreach (var dependency in definition.DependsOn ?? [])
            {
                if (definitions.FirstOrDefault(d => d.Name == dependency.ContainerName) is { } target)
                {
                    Visit(target);
                }
            }
            ordered.Add(definition);
        }
        foreach (var definition in definitions)
        {
            Visit(definition);
        }
        return ordered;
    }
}
