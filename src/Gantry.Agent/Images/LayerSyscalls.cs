using System.Runtime.InteropServices;
using System.Text;

namespace Gantry.Agent.Images;

/// <summary>The libc calls layer extraction needs that .NET has no API for; each throws an <see cref="IOException"/> naming the call and errno.</summary>
internal static unsafe partial class LayerSyscalls
{
    public const uint CharacterDevice = 0x2000; // S_IFCHR
    public const uint BlockDevice = 0x6000;     // S_IFBLK
    public const uint Fifo = 0x1000;            // S_IFIFO

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;

    /// <summary>mknod(2): a device node or FIFO of <paramref name="type"/> (S_IFCHR, S_IFBLK, S_IFIFO) with the given permission bits.</summary>
    public static void MakeNode(string path, uint type, uint permissions, uint major, uint minor) =>
        Check(Mknod(path, type | (permissions & 0xFFF), MakeDevice(major, minor)), "mknod", path);

    /// <summary>lchown(2): owner of the path itself, a symlink not followed.</summary>
    public static void ChangeOwner(string path, int uid, int gid) =>
        Check(Lchown(path, unchecked((uint)uid), unchecked((uint)gid)), "lchown", path);

    /// <summary>lsetxattr(2): an extended attribute of the path itself.</summary>
    public static void SetExtendedAttribute(string path, string name, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* data = bytes)
        {
            Check(Lsetxattr(path, name, data, (nuint)bytes.Length, 0), "lsetxattr", path);
        }
    }

    /// <summary>utimensat(2) with AT_SYMLINK_NOFOLLOW: access and modification times of the path itself.</summary>
    public static void SetTimes(string path, DateTimeOffset time)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }
        var spec = new Timespec { Seconds = (nint)seconds, Nanoseconds = (nint)(remainder * 100) };
        var times = stackalloc Timespec[2] { spec, spec };
        Check(Utimensat(AtFdCwd, path, times, AtSymlinkNoFollow), "utimensat", path);
    }

    /// <summary>link(2): <paramref name="path"/> becomes another name of <paramref name="existing"/> (a symlink is linked, not followed).</summary>
    public static void HardLink(string existing, string path) => Check(Link(existing, path), "link", path);

    /// <summary>glibc's makedev.</summary>
    private static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);

    private static void Check(int result, string call, string path)
    {
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Mknod(string path, uint mode, ulong device);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lsetxattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Utimensat(int directory, string path, Timespec* times, int flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string path);
}
