using System.Runtime.InteropServices;

namespace Gantry.Agent.Runtime.Conmon;

/// <summary>Mounts and unmounts a container's overlayfs root: read-only image layers under a private writable layer.</summary>
public static partial class OverlayMount
{
    private const ulong DetachFlag = 2; // MNT_DETACH
    private const int NotMounted = 22; // EINVAL from umount2: the target is not a mount point

    /// <param name="lowerDirectories">Image layers, lowest first.</param>
    public static void Mount(IReadOnlyList<string> lowerDirectories, string upper, string work, string target)
    {
        ArgumentNullException.ThrowIfNull(lowerDirectories);
        // A prepared root is an empty directory; one with entries is already mounted (the agent restarted mid-start).
        // Cheaper than reading /proc/self/mountinfo, which grows with every container on the node.
        if (Directory.EnumerateFileSystemEntries(target).Any())
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
        if (Directory.Exists(target) && Umount2(target, DetachFlag) != 0 && Marshal.GetLastPInvokeError() is var errno and not NotMounted)
        {
            throw new ContainerRuntimeException($"umount {target}: errno {errno}");
        }
    }

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MountSyscall(string source, string target, string type, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, ulong flags);
}
