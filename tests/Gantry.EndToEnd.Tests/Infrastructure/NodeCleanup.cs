namespace Gantry.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Containers outlive their agent by design, so a test that ends removes what its agent ran: every runc container
/// under the agent's state directory, the overlay mounts beneath it, and its task network namespaces.
/// </summary>
public static class NodeCleanup
{
    public static async Task RemoveContainersAsync(string agentStateDirectory)
    {
        var root = Path.Combine(agentStateDirectory, "runc");
        if (Directory.Exists(root))
        {
            var listed = await Tool.RunAsync("/usr/sbin/runc", ["--root", root, "list", "-q"]);
            foreach (var id in listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                await Tool.RunAsync("/usr/sbin/runc", ["--root", root, "delete", "--force", id]);
                // Runtime ids are "<32-hex task id>-<container>"; the task's namespace is "gantry-" + the first 25 of those.
                await Tool.RunAsync("/usr/sbin/ip", ["netns", "delete", $"gantry-{id[..Math.Min(25, id.Length)]}"]);
            }
        }
        var prefix = Path.GetFullPath(agentStateDirectory);
        foreach (var mount in File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(m => m.StartsWith(prefix, StringComparison.Ordinal)).Reverse())
        {
            await Tool.RunAsync("/usr/bin/umount", ["-l", mount]);
        }
    }
}
