using Gantry.Domain.Ecs;
using Gantry.Domain.TaskDefinitions;

namespace Gantry.Api.Ecs;

/// <summary>Turns a validated registration into the TaskDefinition ECS returns: defaults filled in, compatibilities and required attributes computed.</summary>
public static class TaskDefinitionShaper
{
    public static TaskDefinition FromRequest(RegisterTaskDefinitionRequest request, string arn, int revision, string registeredBy, DateTimeOffset now)
    {
        var containers = (request.ContainerDefinitions ?? []).Select(c => CompleteContainer(c, request.NetworkMode)).ToList();
        return new TaskDefinition
        {
            TaskDefinitionArn = arn,
            ContainerDefinitions = containers,
            Family = request.Family,
            TaskRoleArn = request.TaskRoleArn,
            ExecutionRoleArn = request.ExecutionRoleArn,
            NetworkMode = request.NetworkMode,
            Revision = revision,
            Volumes = request.Volumes ?? [],
            Status = TaskDefinitionStatusValues.ACTIVE,
            RequiresAttributes = RequiredAttributes(request, containers),
            PlacementConstraints = request.PlacementConstraints ?? [],
            Compatibilities = Compatibilities(request),
            RuntimePlatform = request.RuntimePlatform,
            RequiresCompatibilities = request.RequiresCompatibilities,
            Cpu = request.Cpu,
            Memory = request.Memory,
            InferenceAccelerators = request.InferenceAccelerators,
            PidMode = request.PidMode,
            IpcMode = request.IpcMode,
            ProxyConfiguration = request.ProxyConfiguration,
            RegisteredAt = now,
            RegisteredBy = registeredBy,
            EphemeralStorage = request.EphemeralStorage,
            EnableFaultInjection = request.EnableFaultInjection,
        };
    }

    private static ContainerDefinition CompleteContainer(ContainerDefinition container, string? networkMode) => container with
    {
        Cpu = container.Cpu ?? 0,
        Essential = container.Essential ?? true,
        PortMappings = (container.PortMappings ?? []).Select(p => p with
        {
            Protocol = p.Protocol ?? "tcp",
            HostPort = p.HostPort ?? (networkMode is "awsvpc" or "host" ? p.ContainerPort : null),
        }).ToList(),
        Environment = container.Environment ?? [],
        MountPoints = container.MountPoints ?? [],
        VolumesFrom = container.VolumesFrom ?? [],
        SystemControls = container.SystemControls ?? [],
    };

    /// <summary>EC2 always; FARGATE when the definition fits Fargate (awsvpc, valid task size); EXTERNAL when asked for.</summary>
    private static List<string> Compatibilities(RegisterTaskDefinitionRequest request)
    {
        var result = new List<string> { CompatibilityValues.EC2 };
        if (request.NetworkMode == NetworkModeValues.awsvpc && FargateSizes.IsValid(request.Cpu, request.Memory))
        {
            result.Add(CompatibilityValues.FARGATE);
        }
        if (request.RequiresCompatibilities?.Contains(CompatibilityValues.EXTERNAL) == true)
        {
            result.Add(CompatibilityValues.EXTERNAL);
        }
        return result;
    }

    /// <summary>
    /// The agent capabilities a container instance must advertise to run this definition: only names from
    /// <see cref="AgentCapabilities"/> (validation refused every feature no Gantry agent has). Roles add nothing:
    /// executionRoleArn and taskRoleArn are recorded and never block placement.
    /// </summary>
    private static List<EcsAttribute> RequiredAttributes(RegisterTaskDefinitionRequest request, List<ContainerDefinition> containers)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            if (container.LogConfiguration?.LogDriver is { } driver)
            {
                names.Add(AgentCapabilities.LoggingDriverPrefix + driver);
            }
            if (container.HealthCheck is not null)
            {
                names.Add(AgentCapabilities.ContainerHealthCheck);
            }
            if (container.DependsOn is { Count: > 0 })
            {
                names.Add(AgentCapabilities.ContainerOrdering);
            }
        }
        if (request.NetworkMode == NetworkModeValues.awsvpc)
        {
            names.Add(AgentCapabilities.TaskEni);
        }
        return names.Select(n => new EcsAttribute { Name = n }).ToList();
    }
}
