namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>Imports a busybox image (the static busybox and a few applets) with `gantry image import`, the way a user would.</summary>
public static class SampleImage
{
    private static readonly string[] Applets = ["sh", "sleep", "test", "[", "seq", "cat", "echo", "wget", "httpd", "mkdir", "chmod"];

    /// <summary>Pushes busybox:latest to <paramref name="server"/>'s registry; with a namespace, from inside it.</summary>
    public static async Task ImportBusyboxAsync(GantryProcess server, string? networkNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var rootfs = Directory.CreateTempSubdirectory("gantry-rootfs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(rootfs, "bin"));
            Directory.CreateDirectory(Path.Combine(rootfs, "tmp"));
            File.Copy("/bin/busybox", Path.Combine(rootfs, "bin", "busybox"));
            foreach (var applet in Applets)
            {
                File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
            }
            string[] import = ["dotnet", Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "image", "import", rootfs, "busybox:latest",
                "--endpoint", server.Endpoint.ToString(), "--data-dir", server.DataDirectory];
            var environment = new Dictionary<string, string> { ["HOME"] = server.Home };
            if (networkNamespace is null)
            {
                await Tool.OkAsync(import[0], import[1..], environment: environment);
            }
            else
            {
                await Tool.OkAsync("/usr/bin/nsenter", [$"--net=/run/netns/{networkNamespace}", .. import], environment: environment);
            }
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }
}
