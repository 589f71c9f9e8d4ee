using System.Runtime.InteropServices;

namespace Gantry.Agent.Sandbox;

/// <summary>Whether a directory is the root of a mount, and lazy unmounting.</summary>
internal static partial class MountPoints
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const ulong AttrMountRoot = 0x2000; // STATX_ATTR_MOUNT_ROOT (Linux 5.8)
    private const ulong DetachFlag = 2; // MNT_DETACH
    private const int NotMounted = 22; // EINVAL
    private const int Missing = 2; // ENOENT

    /// <summary>True when <paramref name="path"/> is a mount's root (statx's STATX_ATTR_MOUNT_ROOT).</summary>
    public static bool IsMountRoot(string path)
    {
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, 0, out var stat) != 0)
        {
            return false;
        }
        if ((stat.AttributesMask & AttrMountRoot) == 0)
        {
            throw new PlatformNotSupportedException("statx does not report STATX_ATTR_MOUNT_ROOT (Linux 5.8 or later is needed)");
        }
        return (stat.Attributes & AttrMountRoot) != 0;
    }

    /// <summary>Detaches the mount at <paramref name="target"/> now (it goes once nothing uses it); nothing mounted is fine.</summary>
    public static void Unmount(string target)
    {
        if (Umount2(target, DetachFlag) != 0 && Marshal.GetLastPInvokeError() is var errno and not (NotMounted or Missing))
        {
            throw new IOException($"umount {target}: errno {errno}");
        }
    }

    /// <summary>The head of <c>struct statx</c>: stx_attributes at 8, stx_attributes_mask at 56.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(8)]
        public ulong Attributes;

        [FieldOffset(56)]
        public ulong AttributesMask;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Umount2(string target, ulong flags);
}
