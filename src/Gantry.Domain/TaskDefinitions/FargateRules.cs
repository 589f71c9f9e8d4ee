using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>What FARGATE compatibility demands: awsvpc, a valid task size, no privileged containers or links, short timeouts.</summary>
internal static class FargateRules
{
    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        if (request.NetworkMode != NetworkModeValues.awsvpc)
        {
            throw Invalid.Client("networkMode", $"Fargate requires networkMode awsvpc, not {request.NetworkMode ?? "(default bridge)"}.");
        }
        if (request.Cpu is null || request.Memory is null)
        {
            throw Invalid.Client(request.Cpu is null ? "cpu" : "memory", "Fargate requires task-level cpu and memory.");
        }
        if (!FargateSizes.IsValid(request.Cpu, request.Memory))
        {
            throw Invalid.Client("memory", $"No Fargate configuration exists for given values: {request.Cpu} CPU, {request.Memory} memory.");
        }
        var containers = request.ContainerDefinitions!;
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            var at = $"containerDefinitions[{i}]";
            if (c.Privileged == true)
            {
                throw Invalid.Client($"{at}.privileged", "privileged containers are not supported on Fargate.");
            }
            Invalid.Range(c.StartTimeout, 2, 120, $"{at}.startTimeout");
            Invalid.Range(c.StopTimeout, 2, 120, $"{at}.stopTimeout");
        }
        if (request.PlacementConstraints is { Count: > 0 })
        {
            throw Invalid.Client("placementConstraints", "placement constraints are not supported on Fargate.");
        }
    }
}
