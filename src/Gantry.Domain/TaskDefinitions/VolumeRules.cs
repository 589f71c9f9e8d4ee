using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Volumes have unique names and absolute host paths; every mount point names a declared volume and an absolute container path.</summary>
internal static class VolumeRules
{
    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (volume, i) in (request.Volumes ?? []).Select((v, i) => (v, i)))
        {
            if (!TaskDefinitionValidator.IsName(volume.Name))
            {
                throw Invalid.Client($"volumes[{i}].name", "must be 1-255 letters, numbers, underscores and hyphens.");
            }
            if (!names.Add(volume.Name!))
            {
                throw Invalid.Client($"volumes[{i}].name", $"'{volume.Name}' is declared more than once.");
            }
            if (volume.Host?.SourcePath is { } source && !source.StartsWith('/'))
            {
                throw Invalid.Client($"volumes[{i}].host.sourcePath", $"'{source}' must be an absolute path.");
            }
        }
        var containers = request.ContainerDefinitions!;
        for (var i = 0; i < containers.Count; i++)
        {
            foreach (var (mount, j) in (containers[i].MountPoints ?? []).Select((m, j) => (m, j)))
            {
                var at = $"containerDefinitions[{i}].mountPoints[{j}]";
                if (mount.SourceVolume is null || !names.Contains(mount.SourceVolume))
                {
                    throw Invalid.Client($"{at}.sourceVolume", $"'{mount.SourceVolume}' is not a volume declared in volumes.");
                }
                if (mount.ContainerPath is null || !mount.ContainerPath.StartsWith('/'))
                {
                    throw Invalid.Client($"{at}.containerPath", $"'{mount.ContainerPath}' must be an absolute path.");
                }
            }
        }
    }
}
