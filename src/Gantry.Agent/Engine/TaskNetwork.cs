using Gantry.Agent.Runtime.Conmon;
using Gantry.Agent.Runtime.Spec;

namespace Gantry.Agent.Engine;

/// <summary>
/// A task's network namespace. <c>host</c> shares the node's; every other mode gets one namespace per task
/// (<c>ip netns add gantry-&lt;task&gt;</c>) that all its containers join, so they reach each other on localhost.
/// </summary>
public static class TaskNetwork
{
    public static string NamespaceName(string taskId) => $"gantry-{taskId}"[..Math.Min(32, 7 + taskId.Length)];

    public static string NamespacePath(string taskId) => $"/run/netns/{NamespaceName(taskId)}";

    public static (NetworkSetup Setup, string? Path) For(string? networkMode, string taskId) =>
        networkMode == "host" ? (NetworkSetup.Host, null) : (NetworkSetup.Join, NamespacePath(taskId));

    public static async Task EnsureAsync(string? networkMode, string taskId, CancellationToken ct)
    {
        if (networkMode == "host" || File.Exists(NamespacePath(taskId)))
        {
            return;
        }
        var name = NamespaceName(taskId);
        var add = await ProcessRunner.RunAsync("/usr/sbin/ip", ["netns", "add", name], ct).ConfigureAwait(false);
        if (!add.Succeeded && !File.Exists(NamespacePath(taskId)))
        {
            throw new CannotStartContainerException($"CannotStartContainerError: network namespace: {add.StandardError.Trim()}");
        }
        await ProcessRunner.RunAsync("/usr/sbin/ip", ["-n", name, "link", "set", "lo", "up"], ct).ConfigureAwait(false);
    }

    public static async Task RemoveAsync(string? networkMode, string taskId, CancellationToken ct)
    {
        if (networkMode != "host" && File.Exists(NamespacePath(taskId)))
        {
            await ProcessRunner.RunAsync("/usr/sbin/ip", ["netns", "delete", NamespaceName(taskId)], ct).ConfigureAwait(false);
        }
    }
}
