using System.Diagnostics;

namespace Gantry.Cli.Commands;

/// <summary>
/// The sample image every Gantry has: a root filesystem of the static busybox (Debian's busybox-static) with a
/// link per applet, so `sh`, `httpd`, `sleep` and friends exist. No Docker Hub needed.
/// </summary>
internal static class SampleImage
{
    public const string Repository = "busybox";
    public const string Tag = "latest";
    public const string BusyboxPath = "/bin/busybox";

    /// <summary>Writes the root filesystem into <paramref name="directory"/>; false when busybox-static is not installed.</summary>
    public static async Task<bool> WriteRootfsAsync(string directory, CancellationToken ct)
    {
        if (!File.Exists(BusyboxPath))
        {
            return false;
        }
        foreach (var sub in new[] { "bin", "etc", "tmp", "proc", "sys", "dev", "root", "var/www" })
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }
        File.Copy(BusyboxPath, Path.Combine(directory, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(directory, "bin", "busybox"), (UnixFileMode)0b111_101_101);
        foreach (var applet in await ListAppletsAsync(ct).ConfigureAwait(false))
        {
            var link = Path.Combine(directory, "bin", applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n", ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n", ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "var", "www", "index.html"), "hello from gantry\n", ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Builds the sample image and pushes it as busybox:latest; null when busybox-static is missing.</summary>
    public static async Task<string?> ImportAsync(ControlPlane plane, string region, CancellationToken ct)
    {
        var rootfs = Directory.CreateTempSubdirectory("gantry-busybox-").FullName;
        try
        {
            if (!await WriteRootfsAsync(rootfs, ct).ConfigureAwait(false))
            {
                return null;
            }
            using var http = new HttpClient();
            var client = new GantryClient(http, plane.Endpoint, new GantryCredentials(plane.RootKey.AccessKeyId, plane.RootKey.SecretAccessKey), region);
            var options = new Oci.Build.ImageBuildOptions { RootFs = rootfs, Cmd = ["sh"], ExposedPorts = ["80"] };
            return await ImageImport.RunAsync(client, http, options, Repository, Tag, null, ct).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> ListAppletsAsync(CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(BusyboxPath, "--list") { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot run busybox --list");
        var output = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(a => !a.Contains('/', StringComparison.Ordinal))];
    }
}
