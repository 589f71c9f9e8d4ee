using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>Docker's capability rules: a default set, <c>add</c>/<c>drop</c> with <c>ALL</c>, everything when privileged.</summary>
internal static class CapabilitySet
{
    /// <summary>Every capability Linux 6.x defines, indexed by number (CAP_CHOWN = 0 ... CAP_CHECKPOINT_RESTORE = 40).</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    /// <summary>Docker's default set (moby oci/caps/defaults.go).</summary>
    public static readonly IReadOnlyList<string> DockerDefaults =
    [
        "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP",
        "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
    ];

    private const string All = "ALL";

    /// <summary>
    /// The capabilities (without <c>CAP_</c>), ordered by number. Defaults and <c>ALL</c> are cut to what the host holds
    /// (runc cannot grant more: capset fails with EPERM); naming one the host lacks in <c>add</c> is refused.
    /// </summary>
    public static IReadOnlyList<string> Resolve(bool privileged, KernelCapabilities? tweaks, IReadOnlySet<string>? host)
    {
        bool OnHost(string cap) => host is null || host.Contains(cap);

        if (privileged)
        {
            // Docker ignores add/drop for privileged containers.
            return [.. Known.Where(OnHost)];
        }
        var add = Normalize(tweaks?.Add);
        var drop = Normalize(tweaks?.Drop);
        foreach (var cap in add.Where(c => c != All && !OnHost(c)))
        {
            throw SpecErrors.CannotStart($"capability {cap} is not available on this container instance");
        }

        IEnumerable<string> result;
        if (add.Contains(All))
        {
            result = Known.Where(c => !drop.Contains(c));
        }
        else if (drop.Contains(All))
        {
            result = add;
        }
        else
        {
            result = DockerDefaults.Where(c => !drop.Contains(c)).Concat(add);
        }
        return [.. result.Where(OnHost).Distinct().OrderBy(c => IndexOf(c))];
    }

    /// <summary>The agent's bounding set from <c>/proc/self/status</c>; null when it cannot be read.</summary>
    public static IReadOnlySet<string>? ReadBoundingSet()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
            return line is null ? null : FromMask(ulong.Parse(line["CapBnd:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The names of the capabilities whose bits are set in a <c>/proc/*/status</c> mask.</summary>
    public static IReadOnlySet<string> FromMask(ulong mask) =>
        Known.Where((_, bit) => (mask & (1UL << bit)) != 0).ToHashSet(StringComparer.Ordinal);

    /// <summary>Names upper-cased without <c>CAP_</c>; an unknown one is refused.</summary>
    public static HashSet<string> Normalize(IReadOnlyList<string>? names)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names ?? [])
        {
            var name = raw.Trim().ToUpperInvariant();
            if (name.StartsWith("CAP_", StringComparison.Ordinal))
            {
                name = name[4..];
            }
            if (name != All && IndexOf(name) < 0)
            {
                throw SpecErrors.CannotStart($"unknown capability: \"{raw}\"");
            }
            result.Add(name);
        }
        return result;
    }

    private static int IndexOf(string name)
    {
        for (var i = 0; i < Known.Count; i++)
        {
            if (Known[i] == name)
            {
                return i;
            }
        }
        return -1;
    }
}
