using Gantry.Domain.Ecs;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>
/// What a container of a Fargate task may not ask for, checked again at the node whatever the control plane let
/// through: privileged mode, host devices, capabilities beyond Docker's default set (Fargate lets only SYS_PTRACE
/// be added), swap, the host's network, and any host path other than the task's own storage.
/// Its PID, IPC, UTS and mount namespaces are always its own (<see cref="RuntimeSpecBuilder"/>).
/// </summary>
internal static class SandboxRules
{
    /// <summary>The one capability Fargate allows in <c>linuxParameters.capabilities.add</c>.</summary>
    public const string AddableCapability = "SYS_PTRACE";

    private const string Fargate = "for tasks with launch type FARGATE";

    /// <summary>The container definition's own asks.</summary>
    /// <exception cref="CannotStartContainerException">It asks for something of the host.</exception>
    public static void CheckDefinition(ContainerDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = definition.Name;
        if (definition.Privileged == true)
        {
            throw SpecErrors.CannotStart($"container {name}: privileged is not supported {Fargate}");
        }
        var linux = definition.LinuxParameters;
        if (linux?.Devices is { Count: > 0 })
        {
            throw SpecErrors.CannotStart($"container {name}: linuxParameters.devices is not supported {Fargate}");
        }
        if (linux?.MaxSwap is > 0)
        {
            throw SpecErrors.CannotStart($"container {name}: linuxParameters.maxSwap is not supported {Fargate}");
        }
        var added = CapabilitySet.Normalize(linux?.Capabilities?.Add).Where(c => c != AddableCapability).Order(StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            throw SpecErrors.CannotStart($"container {name}: linuxParameters.capabilities.add {string.Join(", ", added)} is not supported {Fargate}: only {AddableCapability} can be added");
        }
    }

    /// <summary>The definition's asks, then what the launch would give it of the host.</summary>
    public static void CheckLaunch(ContainerLaunch launch, string sandboxRoot)
    {
        CheckDefinition(launch.Definition);
        if (launch.Network == NetworkSetup.Host)
        {
            throw SpecErrors.CannotStart($"container {launch.Definition.Name}: the host's network is not available {Fargate}");
        }
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(sandboxRoot)) + Path.DirectorySeparatorChar;
        var sources = launch.Mounts.Select(m => m.Source).Concat([launch.HostsFile, launch.HostnameFile, launch.ResolvConfFile]);
        foreach (var source in sources)
        {
            if (!Path.GetFullPath(source).StartsWith(root, StringComparison.Ordinal))
            {
                throw SpecErrors.CannotStart($"container {launch.Definition.Name}: host path {source} is not available {Fargate}: host volumes (host.sourcePath) are not supported");
            }
        }
    }
}
