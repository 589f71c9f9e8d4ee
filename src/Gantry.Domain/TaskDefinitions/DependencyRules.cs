using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Links, dependsOn and volumesFrom: every reference names another container of the task; no dependency cycles.</summary>
internal static class DependencyRules
{
    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        var containers = request.ContainerDefinitions!;
        var byName = containers.ToDictionary(c => c.Name!, StringComparer.Ordinal);
        var mode = request.NetworkMode ?? NetworkModeValues.bridge;
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            var at = $"containerDefinitions[{i}]";
            ValidateLinks(c, at, mode, byName);
            ValidateDependsOn(c, at, byName);
            foreach (var (from, j) in (c.VolumesFrom ?? []).Select((v, j) => (v, j)))
            {
                if (from.SourceContainer is null || !byName.ContainsKey(from.SourceContainer) || from.SourceContainer == c.Name)
                {
                    throw Invalid.Client($"{at}.volumesFrom[{j}].sourceContainer", $"'{from.SourceContainer}' is not another container in this task definition.");
                }
            }
        }
        RejectCycles(containers);
    }

    private static void ValidateLinks(ContainerDefinition c, string at, string mode, Dictionary<string, ContainerDefinition> byName)
    {
        var links = c.Links ?? [];
        if (links.Count > 0 && mode != NetworkModeValues.bridge)
        {
            throw Invalid.Client($"{at}.links", $"links are only supported with networkMode bridge, not {mode}.");
        }
        for (var j = 0; j < links.Count; j++)
        {
            var target = links[j].Split(':')[0];
            if (!byName.ContainsKey(target) || target == c.Name)
            {
                throw Invalid.Client($"{at}.links[{j}]", $"'{links[j]}' does not name another container in this task definition.");
            }
        }
    }

    private static void ValidateDependsOn(ContainerDefinition c, string at, Dictionary<string, ContainerDefinition> byName)
    {
        foreach (var (dependency, j) in (c.DependsOn ?? []).Select((d, j) => (d, j)))
        {
            var field = $"{at}.dependsOn[{j}]";
            if (dependency.ContainerName is null || !byName.TryGetValue(dependency.ContainerName, out var target) || target == c)
            {
                throw Invalid.Client($"{field}.containerName", $"'{dependency.ContainerName}' is not another container in this task definition.");
            }
            if (dependency.Condition is null)
            {
                throw Invalid.Client($"{field}.condition", "is required.");
            }
            Invalid.OneOf(dependency.Condition, ContainerConditionValues.All, $"{field}.condition");
            if (dependency.Condition == ContainerConditionValues.HEALTHY && target.HealthCheck is null)
            {
                throw Invalid.Client($"{field}.condition", $"HEALTHY needs a healthCheck on container '{target.Name}'.");
            }
            if (dependency.Condition is "COMPLETE" or "SUCCESS" && (target.Essential ?? true))
            {
                throw Invalid.Client($"{field}.condition", $"{dependency.Condition} cannot be used on the essential container '{target.Name}'.");
            }
        }
    }

    private static void RejectCycles(IReadOnlyList<ContainerDefinition> containers)
    {
        var edges = containers.ToDictionary(
            c => c.Name!,
            c => (c.DependsOn ?? []).Select(d => d.ContainerName!).Concat((c.Links ?? []).Select(l => l.Split(':')[0])).ToList(),
            StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        foreach (var name in edges.Keys)
        {
            Visit(name, edges, state, []);
        }
    }

    private static void Visit(string name, Dictionary<string, List<string>> edges, Dictionary<string, int> state, List<string> path)
    {
        if (state.TryGetValue(name, out var s))
        {
            if (s == 1)
            {
                throw Invalid.Client("containerDefinitions[].dependsOn", $"containers depend on each other in a cycle: {string.Join(" -> ", path.Append(name))}.");
            }
            return;
        }
        state[name] = 1;
        path.Add(name);
        foreach (var next in edges[name])
        {
            Visit(next, edges, state, path);
        }
        path.RemoveAt(path.Count - 1);
        state[name] = 2;
    }
}
