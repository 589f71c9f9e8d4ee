using System.Runtime.InteropServices;

namespace Gantry.Agent.Runtime.Conmon;

/// <summary>Mounts and unmounts a container's overlayfs root: read-only image layers under a private writable layer.</summary>
public static partial class OverlayMount
{
    private const ulong DetachFlag = 2; // MNT_DETACH

    /// <param name="lowerDirectories">Image layers, lowest first.</param>
    public static void Mount(IReadOnlyList<string> lowerDirectories, string upper, string work, string target)
    {
        ArgumentNullException.ThrowIfNull(lowerDirectories);
        if (IsMounted(target))
        {
            return;
        }
        var lower = string.Join(':', lowerDirectories.Reverse());
        var options = $"lowerdir={lower},upperdir={upper},workdir={work}";
        if (MountSyscall("overlay", target, "overlay", 0, options) != 0)
        {
            throw new ContainerRuntimeException($"mount overlay at {target}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static void Unmount(string target)
    {
        if (IsMounted(target) && Umount2(target, DetachFlag) != 0)
        {
            throw new ContainerRuntimeException($"umount {target}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public static bool IsMounted(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd('/');
        return File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ') is { Length: > 4 } fields && Unescape(fields[4]) == full);
    }

    private static string Unescape(string path) => path.Replace("\\040", " ", StringComparison.Ordinal);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountSyscall(string source, string target, string type, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, ulong flags);
}
