using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Gantry.Agent.Tests.Images;

/// <summary>What <c>stat</c> (lstat: a symlink is not followed) says about a path.</summary>
internal sealed partial record FileStat(string Type, int Major, int Minor, string Mode, int Uid, int Gid, long Inode, int Links, long MTime)
{
    public static FileStat Of(string path)
    {
        var start = new ProcessStartInfo("/usr/bin/stat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "%F|%t|%T|%a|%u|%g|%i|%h|%Y", path])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.True(process.ExitCode == 0, error);
        var f = output.Trim().Split('|');
        return new FileStat(
            f[0],
            int.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            int.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            f[3],
            int.Parse(f[4], CultureInfo.InvariantCulture),
            int.Parse(f[5], CultureInfo.InvariantCulture),
            long.Parse(f[6], CultureInfo.InvariantCulture),
            int.Parse(f[7], CultureInfo.InvariantCulture),
            long.Parse(f[8], CultureInfo.InvariantCulture));
    }

    /// <summary>The value of an extended attribute of the path itself, or null when it has none by that name.</summary>
    public static unsafe string? ExtendedAttribute(string path, string name)
    {
        var buffer = new byte[256];
        fixed (byte* data = buffer)
        {
            var length = Lgetxattr(path, name, data, (nuint)buffer.Length);
            return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint Lgetxattr(string path, string name, byte* value, nuint size);
}
