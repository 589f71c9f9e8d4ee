using Gantry.Domain.Ecs;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The definition's <c>systemControls</c>, limited to namespaced parameters as dockerd limits them.</summary>
internal static class Sysctls
{
    private static readonly HashSet<string> IpcNames = new(StringComparer.Ordinal)
    {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    };

    /// <summary>
    /// IPC (<c>kernel.msg*</c>, <c>kernel.sem</c>, <c>kernel.shm*</c>, <c>fs.mqueue.*</c>) and UTS
    /// (<c>kernel.domainname</c>) parameters always; <c>net.*</c> only in the container's own network namespace.
    /// Anything else would change the host and is refused.
    /// </summary>
    public static SortedDictionary<string, string>? Build(IReadOnlyList<SystemControl>? controls, bool hostNetwork)
    {
        if (controls is null || controls.Count == 0)
        {
            return null;
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var control in controls)
        {
            var name = control.Namespace ?? "";
            var namespaced = IpcNames.Contains(name) || name.StartsWith("fs.mqueue.", StringComparison.Ordinal) || name == "kernel.domainname"
                || (name.StartsWith("net.", StringComparison.Ordinal) && !hostNetwork);
            if (!namespaced)
            {
                throw SpecErrors.CannotStart(hostNetwork && name.StartsWith("net.", StringComparison.Ordinal)
                    ? $"sysctl {name} is not allowed in the host network namespace"
                    : $"sysctl {name} is not namespaced and cannot be set in a container");
            }
            result[name] = control.Value ?? "";
        }
        return result;
    }
}
