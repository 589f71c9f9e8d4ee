using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>
/// What a task definition can say and Gantry does not do yet: each is refused naming its field
/// ("containerDefinitions[0].secrets is not supported by Gantry yet."), never stored and silently ignored.
/// Runs after <see cref="FargateRules"/> and the ECS rules, so Fargate's own refusals (pidMode host, ipcMode) keep Fargate's wording.
/// </summary>
internal static class UnsupportedRules
{
    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        if (request.PidMode is not null)
        {
            throw Invalid.Unsupported("pidMode");
        }
        if (request.IpcMode is not null)
        {
            throw Invalid.Unsupported("ipcMode");
        }
        if (request.ProxyConfiguration is not null)
        {
            throw Invalid.Unsupported("proxyConfiguration");
        }
        if (request.InferenceAccelerators is { Count: > 0 })
        {
            throw Invalid.Unsupported("inferenceAccelerators");
        }
        if (request.EnableFaultInjection == true)
        {
            throw Invalid.Unsupported("enableFaultInjection");
        }
        foreach (var (volume, i) in (request.Volumes ?? []).Select((v, i) => (v, i)))
        {
            ValidateVolume(volume, $"volumes[{i}]");
        }
        var containers = request.ContainerDefinitions!;
        for (var i = 0; i < containers.Count; i++)
        {
            ValidateContainer(containers[i], $"containerDefinitions[{i}]");
        }
    }

    private static void ValidateVolume(Volume volume, string at)
    {
        if (volume.EfsVolumeConfiguration is not null)
        {
            throw Invalid.Unsupported($"{at}.efsVolumeConfiguration");
        }
        if (volume.FsxWindowsFileServerVolumeConfiguration is not null)
        {
            throw Invalid.Unsupported($"{at}.fsxWindowsFileServerVolumeConfiguration");
        }
        if (volume.ConfiguredAtLaunch == true)
        {
            throw Invalid.Unsupported($"{at}.configuredAtLaunch");
        }
        // A task-scoped volume of the local driver is what Gantry gives every volume without a host path: a
        // directory of the task's own. Shared, autoprovisioned or plugin-driven Docker volumes are not that.
        if (volume.DockerVolumeConfiguration is { } docker)
        {
            if (docker.Scope == ScopeValues.shared)
            {
                throw Invalid.Unsupported($"{at}.dockerVolumeConfiguration.scope 'shared'");
            }
            if (docker.Autoprovision == true)
            {
                throw Invalid.Unsupported($"{at}.dockerVolumeConfiguration.autoprovision");
            }
            if (docker.Driver is not (null or "local"))
            {
                throw Invalid.Unsupported($"{at}.dockerVolumeConfiguration.driver '{docker.Driver}'");
            }
            if (docker.DriverOpts is { Count: > 0 })
            {
                throw Invalid.Unsupported($"{at}.dockerVolumeConfiguration.driverOpts");
            }
            if (docker.Labels is { Count: > 0 })
            {
                throw Invalid.Unsupported($"{at}.dockerVolumeConfiguration.labels");
            }
        }
    }

    private static void ValidateContainer(ContainerDefinition c, string at)
    {
        var unsupported = new (bool Present, string Field)[]
        {
            (c.Secrets is { Count: > 0 }, "secrets"),
            (c.EnvironmentFiles is { Count: > 0 }, "environmentFiles"),
            (c.RepositoryCredentials is not null, "repositoryCredentials"),
            (c.FirelensConfiguration is not null, "firelensConfiguration"),
            (c.RestartPolicy?.Enabled == true, "restartPolicy"),
            (c.DnsServers is { Count: > 0 }, "dnsServers"),
            (c.DnsSearchDomains is { Count: > 0 }, "dnsSearchDomains"),
            (c.DockerSecurityOptions is { Count: > 0 }, "dockerSecurityOptions"),
            (c.CredentialSpecs is { Count: > 0 }, "credentialSpecs"),
            (c.LogConfiguration?.SecretOptions is { Count: > 0 }, "logConfiguration.secretOptions"),
        };
        foreach (var (present, field) in unsupported)
        {
            if (present)
            {
                throw Invalid.Unsupported($"{at}.{field}");
            }
        }
        // GPU and InferenceAccelerator are the only resource types ECS has; Gantry schedules neither.
        if (c.ResourceRequirements is { Count: > 0 } resources)
        {
            throw Invalid.Unsupported($"{at}.resourceRequirements[0] of type {resources[0].Type}");
        }
        // The agent ships awslogs only; any other driver would be required as an attribute no agent advertises.
        if (c.LogConfiguration?.LogDriver is { } driver && driver != LogDriverValues.awslogs)
        {
            throw Invalid.Unsupported($"{at}.logConfiguration.logDriver '{driver}'");
        }
    }
}
