using Gantry.Domain.Ecs;
using Gantry.Oci.Build;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>A host path mounted into a container.</summary>
public sealed record HostMount(string Source, string Destination, bool ReadOnly);

/// <summary>How the container's network namespace is set up.</summary>
public enum NetworkSetup
{
    /// <summary>A new, empty network namespace (loopback only): ECS network mode <c>none</c>.</summary>
    Isolated,

    /// <summary>The host's network namespace: ECS network mode <c>host</c>.</summary>
    Host,

    /// <summary>Join an existing namespace at <see cref="ContainerLaunch.NetworkNamespacePath"/> (bridge, awsvpc).</summary>
    Join,
}

/// <summary>Everything the OCI runtime spec of one container is generated from.</summary>
/// <param name="ContainerId">The runc container id.</param>
/// <param name="Definition">The ECS container definition, overrides already applied.</param>
/// <param name="Image">The image config (Entrypoint/Cmd/Env/WorkingDir/User...).</param>
/// <param name="RootfsPath">The container's root filesystem (an overlay mount) on the host.</param>
/// <param name="Mounts">Task volumes and bind mounts, already resolved to host paths.</param>
/// <param name="HostsFile">Host file bind-mounted at /etc/hosts (likewise hostname and resolv.conf).</param>
/// <param name="CgroupsPath">cgroup path for runc (e.g. <c>/gantry/&lt;task&gt;/&lt;container&gt;</c>).</param>
/// <param name="Environment">Extra environment set by the agent (metadata URIs), applied after the definition's.</param>
/// <param name="SandboxRoot">
/// Set for a Fargate task: the host directory (its ephemeral storage) every host path the container sees must lie
/// under, and the container must ask for nothing of the host (<see cref="SandboxRules"/>).
/// </param>
public sealed record ContainerLaunch(
    string ContainerId,
    ContainerDefinition Definition,
    ImageConfig Image,
    string RootfsPath,
    string Hostname,
    NetworkSetup Network,
    string? NetworkNamespacePath,
    IReadOnlyList<HostMount> Mounts,
    string HostsFile,
    string HostnameFile,
    string ResolvConfFile,
    string CgroupsPath,
    IReadOnlyDictionary<string, string> Environment,
    string? SandboxRoot = null);

/// <summary>A container that cannot be started as defined; the message is ECS's CannotStartContainerError reason.</summary>
public sealed class CannotStartContainerException(string message) : Exception(message);
