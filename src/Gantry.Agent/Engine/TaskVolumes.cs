using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Engine;

/// <summary>
/// Resolves a container's mountPoints to host paths: a volume with <c>host.sourcePath</c> binds that path; any
/// other volume is task-scoped, a directory under the task's own directory shared by its containers.
/// </summary>
public static class TaskVolumes
{
    public static IReadOnlyList<HostMount> Resolve(TaskDefinition definition, ContainerDefinition container, string taskDirectory)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(container);
        var mounts = new List<HostMount>();
        foreach (var mount in container.MountPoints ?? [])
        {
            var volume = definition.Volumes?.FirstOrDefault(v => v.Name == mount.SourceVolume)
                ?? throw new CannotStartContainerException($"CannotStartContainerError: mount point '{mount.ContainerPath}' references unknown volume '{mount.SourceVolume}'");
            string source;
            if (volume.Host?.SourcePath is { Length: > 0 } hostPath)
            {
                source = hostPath;
            }
            else
            {
                source = Path.Combine(taskDirectory, "volumes", volume.Name!);
                Directory.CreateDirectory(source);
            }
            mounts.Add(new HostMount(source, mount.ContainerPath ?? "", mount.ReadOnly ?? false));
        }
        return mounts;
    }
}
