using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>
/// What FARGATE compatibility demands, with Fargate's own wording where it is known (REFERENCE-NEXT 1.6; the
/// <c>Fargate compatible task definitions do not support …</c> form is the observed sourcePath message, used for
/// its siblings): awsvpc, a documented task size, host port equal to the container port, no privileged containers,
/// host volumes, Docker volumes or devices, pidMode task only, no ipcMode, an execution role for awslogs, short timeouts.
/// </summary>
internal static class FargateRules
{
    public const string PidModeHost = "Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.";

    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        if (request.NetworkMode != NetworkModeValues.awsvpc)
        {
            throw EcsErrors.Client("Fargate only supports network mode \u2018awsvpc\u2019.");
        }
        if (request.Cpu is null || request.Memory is null)
        {
            throw EcsErrors.Client($"Fargate requires that '{(request.Cpu is null ? "cpu" : "memory")}' be defined at the task level.");
        }
        if (!FargateSizes.IsValid(request.Cpu, request.Memory))
        {
            throw EcsErrors.Client($"No Fargate configuration exists for given values: {request.Cpu} CPU, {request.Memory} memory. See the Amazon ECS documentation for the valid values.");
        }
        if (request.IpcMode is not null)
        {
            throw EcsErrors.Client("Tasks using the Fargate launch type do not support ipcMode.");
        }
        if (request.PidMode is not (null or PidModeValues.task))
        {
            throw EcsErrors.Client(PidModeHost);
        }
        foreach (var (volume, i) in (request.Volumes ?? []).Select((v, i) => (v, i)))
        {
            if (volume.Host?.SourcePath is { Length: > 0 })
            {
                throw EcsErrors.Client($"Fargate compatible task definitions do not support sourcePath (volumes[{i}].host.sourcePath).");
            }
            if (volume.DockerVolumeConfiguration is not null)
            {
                throw EcsErrors.Client($"Fargate compatible task definitions do not support dockerVolumeConfiguration (volumes[{i}].dockerVolumeConfiguration).");
            }
        }
        var containers = request.ContainerDefinitions!;
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            var at = $"containerDefinitions[{i}]";
            if (c.Privileged == true)
            {
                throw EcsErrors.Client($"Fargate compatible task definitions do not support privileged ({at}.privileged).");
            }
            if (c.LinuxParameters?.Devices is { Count: > 0 })
            {
                throw EcsErrors.Client($"Fargate compatible task definitions do not support devices ({at}.linuxParameters.devices).");
            }
            if (c.LogConfiguration?.LogDriver == LogDriverValues.awslogs && string.IsNullOrEmpty(request.ExecutionRoleArn))
            {
                throw EcsErrors.Client("Fargate requires task definition to have execution role ARN to support log driver awslogs.");
            }
            Invalid.Range(c.StartTimeout, 2, 120, $"{at}.startTimeout");
            Invalid.Range(c.StopTimeout, 0, 120, $"{at}.stopTimeout");
        }
        if (request.PlacementConstraints is { Count: > 0 })
        {
            throw Invalid.Client("placementConstraints", "placement constraints are not supported on Fargate.");
        }
    }
}
