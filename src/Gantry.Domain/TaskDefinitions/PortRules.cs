using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Port mappings per network mode: ranges, protocols, host port rules, no clashing static host ports.</summary>
internal static class PortRules
{
    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        var mode = request.NetworkMode ?? NetworkModeValues.bridge;
        var staticPorts = new HashSet<(int, string)>();
        var containers = request.ContainerDefinitions!;
        for (var i = 0; i < containers.Count; i++)
        {
            var mappings = containers[i].PortMappings ?? [];
            if (mode == NetworkModeValues.none && mappings.Count > 0)
            {
                throw Invalid.Client($"containerDefinitions[{i}].portMappings", "port mappings are not allowed with networkMode none.");
            }
            for (var j = 0; j < mappings.Count; j++)
            {
                var at = $"containerDefinitions[{i}].portMappings[{j}]";
                var p = mappings[j];
                var protocol = p.Protocol ?? TransportProtocolValues.tcp;
                Invalid.OneOf(protocol, TransportProtocolValues.All, $"{at}.protocol");
                if (p.ContainerPort is null && p.ContainerPortRange is null)
                {
                    throw Invalid.Client($"{at}.containerPort", "is required unless containerPortRange is given.");
                }
                Invalid.Range(p.ContainerPort, 1, 65535, $"{at}.containerPort");
                Invalid.Range(p.HostPort, 0, 65535, $"{at}.hostPort");
                if (mode is "awsvpc" or "host" && p.HostPort is { } host && host != p.ContainerPort)
                {
                    throw Invalid.Client($"{at}.hostPort", $"with networkMode {mode} the host port must be omitted or equal the container port ({p.ContainerPort}).");
                }
                var effectiveHost = mode is "awsvpc" or "host" ? p.ContainerPort ?? 0 : p.HostPort ?? 0;
                if (effectiveHost != 0 && !staticPorts.Add((effectiveHost, protocol)))
                {
                    throw Invalid.Client($"{at}.hostPort", $"host port {effectiveHost}/{protocol} is mapped more than once in this task definition.");
                }
            }
        }
    }
}
