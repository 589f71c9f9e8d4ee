using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>
/// What RunTask, StartTask, CreateService and UpdateService can ask for and Gantry does not do yet: refused with
/// InvalidParameterException naming the member ("loadBalancers is not supported by Gantry yet."), before anything
/// is stored, never silently dropped. Also the platformVersion rules: LATEST or 1.4.0, and none with launchType EC2.
/// </summary>
public static class LaunchRefusals
{
    /// <summary>The Linux Fargate platform versions that exist today (1.0.0–1.3.0 are retired); LATEST is 1.4.0.</summary>
    public static readonly IReadOnlyList<string> PlatformVersions = ["LATEST", "1.4.0"];

    public static void RunTask(RunTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformVersion(request.LaunchType, request.PlatformVersion);
        Launch(request.Overrides, request.EnableExecuteCommand, request.VolumeConfigurations?.Count);
    }

    public static void StartTask(StartTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Launch(request.Overrides, request.EnableExecuteCommand, request.VolumeConfigurations?.Count);
    }

    public static void CreateService(CreateServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformVersion(request.LaunchType, request.PlatformVersion);
        if (request.DeploymentController?.Type is { } controller)
        {
            Invalid(controller, DeploymentControllerTypeValues.All, "deploymentController.type");
            if (controller != DeploymentControllerTypeValues.ECS)
            {
                throw EcsErrors.UnsupportedParameter($"deploymentController.type {controller}");
            }
        }
        Service(request.ServiceConnectConfiguration, request.VpcLatticeConfigurations,
            request.VolumeConfigurations, request.EnableExecuteCommand, request.DeploymentConfiguration);
    }

    public static void UpdateService(UpdateServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        PlatformVersion(null, request.PlatformVersion);
        Service(request.ServiceConnectConfiguration, request.VpcLatticeConfigurations,
            request.VolumeConfigurations, request.EnableExecuteCommand, request.DeploymentConfiguration);
    }

    /// <summary>An EC2 launch takes no platform version; otherwise only versions that exist (PlatformUnknownException).</summary>
    public static void PlatformVersion(string? launchType, string? platformVersion)
    {
        if (platformVersion is null)
        {
            return;
        }
        if (launchType == LaunchTypeValues.EC2)
        {
            throw EcsErrors.InvalidParameter("The platform version must be null when specifying an EC2 launch type.");
        }
        if (!PlatformVersions.Contains(platformVersion))
        {
            throw EcsErrors.PlatformUnknown($"The specified platform version doesn't exist: '{platformVersion}'. Use LATEST or 1.4.0.");
        }
    }

    private static void Launch(TaskOverride? overrides, bool? enableExecuteCommand, int? volumeConfigurations)
    {
        if (enableExecuteCommand == true)
        {
            throw EcsErrors.UnsupportedParameter("enableExecuteCommand");
        }
        if (volumeConfigurations is > 0)
        {
            throw EcsErrors.UnsupportedParameter("volumeConfigurations");
        }
        if (overrides is null)
        {
            return;
        }
        if (overrides.InferenceAcceleratorOverrides is { Count: > 0 })
        {
            throw EcsErrors.UnsupportedParameter("overrides.inferenceAcceleratorOverrides");
        }
        foreach (var (container, i) in (overrides.ContainerOverrides ?? []).Select((c, i) => (c, i)))
        {
            if (container.EnvironmentFiles is { Count: > 0 })
            {
                throw EcsErrors.UnsupportedParameter($"overrides.containerOverrides[{i}].environmentFiles");
            }
            if (container.ResourceRequirements is { Count: > 0 } resources)
            {
                throw EcsErrors.UnsupportedParameter($"overrides.containerOverrides[{i}].resourceRequirements[0] of type {resources[0].Type}");
            }
        }
    }

    private static void Service(ServiceConnectConfiguration? serviceConnect, IReadOnlyList<VpcLatticeConfiguration>? lattice,
        IReadOnlyList<ServiceVolumeConfiguration>? volumes, bool? enableExecuteCommand, DeploymentConfiguration? deployment)
    {
        var unsupported = new (bool Present, string Field)[]
        {
            (serviceConnect?.Enabled == true, "serviceConnectConfiguration"),
            (lattice is { Count: > 0 }, "vpcLatticeConfigurations"),
            (volumes is { Count: > 0 }, "volumeConfigurations"),
            (enableExecuteCommand == true, "enableExecuteCommand"),
            (deployment?.Alarms?.Enable == true, "deploymentConfiguration.alarms"),
        };
        foreach (var (present, field) in unsupported)
        {
            if (present)
            {
                throw EcsErrors.UnsupportedParameter(field);
            }
        }
    }

    private static void Invalid(string value, IReadOnlyList<string> allowed, string field)
    {
        if (!allowed.Contains(value))
        {
            throw EcsErrors.InvalidParameter($"{field} '{value}' is not one of {string.Join(", ", allowed)}.");
        }
    }
}
