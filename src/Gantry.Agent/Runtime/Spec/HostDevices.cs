using System.Runtime.InteropServices;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The definition's <c>linuxParameters.devices</c> as device nodes and device cgroup rules.</summary>
internal static partial class HostDevices
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const uint FileTypeMask = 0xF000;
    private const uint CharacterDevice = 0x2000;
    private const uint BlockDevice = 0x6000;

    /// <summary>The device cgroup: deny everything (runc then allows its standard nodes), or allow all when privileged.</summary>
    public static LinuxDeviceCgroup BaseRule(bool privileged) => new() { Allow = privileged, Access = "rwm" };

    /// <summary>
    /// Each host device becomes a node at its containerPath (default: the host path) with the host node's numbers,
    /// mode and owner, plus an allow rule with the requested permissions (read, write, mknod; default all).
    /// </summary>
    public static (IReadOnlyList<LinuxDevice> Nodes, IReadOnlyList<LinuxDeviceCgroup> Rules) Resolve(IReadOnlyList<Device>? devices)
    {
        var nodes = new List<LinuxDevice>();
        var rules = new List<LinuxDeviceCgroup>();
        foreach (var device in devices ?? [])
        {
            var hostPath = device.HostPath ?? "";
            var containerPath = string.IsNullOrEmpty(device.ContainerPath) ? hostPath : device.ContainerPath;
            if (!hostPath.StartsWith('/') || !containerPath.StartsWith('/') || containerPath.Split('/').Contains(".."))
            {
                throw SpecErrors.CannotStart($"device {hostPath}: host and container paths must be absolute and must not contain '..'");
            }
            if (Statx(AtFdCwd, hostPath, 0, StatxBasicStats, out var stat) != 0)
            {
                throw SpecErrors.CannotStart($"error gathering device information while adding device {hostPath}: errno {Marshal.GetLastPInvokeError()}");
            }
            var type = (stat.Mode & FileTypeMask) switch
            {
                CharacterDevice => "c",
                BlockDevice => "b",
                _ => throw SpecErrors.CannotStart($"{hostPath} is not a device node"),
            };
            nodes.Add(new LinuxDevice
            {
                Path = containerPath,
                Type = type,
                Major = stat.RdevMajor,
                Minor = stat.RdevMinor,
                FileMode = stat.Mode & 0x1FF,
                Uid = stat.Uid,
                Gid = stat.Gid,
            });
            rules.Add(new LinuxDeviceCgroup { Allow = true, Type = type, Major = stat.RdevMajor, Minor = stat.RdevMinor, Access = Access(device.Permissions) });
        }
        return (nodes, rules);
    }

    private static string Access(IReadOnlyList<string>? permissions)
    {
        if (permissions is null || permissions.Count == 0)
        {
            return "rwm";
        }
        var access = "";
        foreach (var (name, letter) in new[] { ("read", 'r'), ("write", 'w'), ("mknod", 'm') })
        {
            if (permissions.Contains(name))
            {
                access += letter;
            }
        }
        var unknown = permissions.FirstOrDefault(p => p is not ("read" or "write" or "mknod"));
        return unknown is null ? access : throw SpecErrors.CannotStart($"invalid device permission {unknown}");
    }

    /// <summary>The head of <c>struct statx</c> (the layout is the same on every architecture).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(24)]
        public uint Gid;

        [FieldOffset(28)]
        public ushort ModeBits;

        [FieldOffset(128)]
        public uint RdevMajor;

        [FieldOffset(132)]
        public uint RdevMinor;

        public readonly uint Mode => ModeBits;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);
}
