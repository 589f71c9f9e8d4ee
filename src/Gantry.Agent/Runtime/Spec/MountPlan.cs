using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The mounts of a container, in the order runc performs them.</summary>
internal static class MountPlan
{
    /// <summary>tmpfs options ECS accepts (the ones that would turn the mount into a bind or remount are left out).</summary>
    private static readonly HashSet<string> TmpfsFlags = new(StringComparer.Ordinal)
    {
        "defaults", "ro", "rw", "suid", "nosuid", "dev", "nodev", "exec", "noexec", "sync", "async", "dirsync",
        "mand", "nomand", "atime", "noatime", "diratime", "nodiratime", "unbindable", "runbindable", "private",
        "rprivate", "shared", "rshared", "slave", "rslave", "relatime", "norelatime", "strictatime", "nostrictatime",
    };

    private static readonly HashSet<string> TmpfsKeys = new(StringComparer.Ordinal) { "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol" };

    /// <summary>
    /// The kernel filesystems (runc's defaults; <c>/sys</c> and <c>/sys/fs/cgroup</c> writable only when privileged),
    /// then /etc/hosts, /etc/hostname and /etc/resolv.conf (read-only with a read-only root, as dockerd; skipped when
    /// a task volume targets the same path), then task volumes and tmpfs mounts sorted parents first.
    /// </summary>
    public static IReadOnlyList<SpecMount> Build(ContainerLaunch launch, bool privileged)
    {
        var definition = launch.Definition;
        var linux = definition.LinuxParameters;
        var user = UserMounts(launch.Mounts, linux?.Tmpfs);
        var shmSize = linux?.SharedMemorySize switch
        {
            null => "size=65536k",
            > 0 and var mib => string.Create(CultureInfo.InvariantCulture, $"size={mib}m"),
            var bad => throw SpecErrors.CannotStart($"sharedMemorySize must be positive, got {bad}"),
        };
        var sysAccess = privileged ? "rw" : "ro";
        var mounts = new List<SpecMount>
        {
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", shmSize] },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", sysAccess] },
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", sysAccess] },
        };
        var networkAccess = definition.ReadonlyRootFilesystem == true ? "ro" : "rw";
        foreach (var (source, destination) in new[] { (launch.HostsFile, "/etc/hosts"), (launch.HostnameFile, "/etc/hostname"), (launch.ResolvConfFile, "/etc/resolv.conf") })
        {
            if (!user.Any(m => m.Destination == destination))
            {
                mounts.Add(new() { Destination = destination, Type = "bind", Source = source, Options = ["rbind", "rprivate", networkAccess] });
            }
        }
        mounts.AddRange(user);
        return mounts;
    }

    private static List<SpecMount> UserMounts(IReadOnlyList<HostMount> binds, IReadOnlyList<Tmpfs>? tmpfs)
    {
        var result = new List<SpecMount>();
        foreach (var bind in binds)
        {
            if (!Path.IsPathRooted(bind.Source))
            {
                throw SpecErrors.CannotStart($"mount source {bind.Source} is not an absolute host path");
            }
            result.Add(new()
            {
                Destination = CheckDestination(bind.Destination),
                Type = "bind",
                Source = bind.Source,
                Options = ["rbind", "rprivate", bind.ReadOnly ? "ro" : "rw"],
            });
        }
        foreach (var entry in tmpfs ?? [])
        {
            var destination = CheckDestination(entry.ContainerPath ?? "");
            if (entry.Size is not > 0)
            {
                throw SpecErrors.CannotStart($"tmpfs mount {destination} needs a positive size in MiB");
            }
            var options = new List<string> { "nosuid", "nodev", "noexec" };
            foreach (var option in entry.MountOptions ?? [])
            {
                var key = option.Split('=', 2)[0];
                var valid = option.Contains('=', StringComparison.Ordinal) ? TmpfsKeys.Contains(key) : TmpfsFlags.Contains(option);
                if (!valid)
                {
                    throw SpecErrors.CannotStart($"tmpfs mount {destination}: invalid mount option {option}");
                }
                options.Add(option);
            }
            options.Add(string.Create(CultureInfo.InvariantCulture, $"size={entry.Size}m"));
            result.Add(new() { Destination = destination, Type = "tmpfs", Source = "tmpfs", Options = options });
        }
        var duplicate = result.GroupBy(m => m.Destination, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw SpecErrors.CannotStart($"Duplicate mount point: {duplicate.Key}");
        }
        // Parents before children, so /data/cache is not hidden by a later /data (dockerd sorts the same way).
        return [.. result.OrderBy(m => m.Destination.Count(c => c == '/'))];
    }

    /// <summary>The destination with empty and <c>.</c> segments removed; refused unless absolute and free of <c>..</c>.</summary>
    private static string CheckDestination(string destination)
    {
        var segments = destination.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!destination.StartsWith('/') || segments.Contains(".."))
        {
            throw SpecErrors.CannotStart($"mount path {destination} escapes the container's root filesystem: it must be absolute and must not contain '..'");
        }
        var clean = "/" + string.Join('/', segments.Where(s => s != "."));
        if (clean == "/")
        {
            throw SpecErrors.CannotStart("mount path / would replace the container's root filesystem");
        }
        return clean;
    }
}
