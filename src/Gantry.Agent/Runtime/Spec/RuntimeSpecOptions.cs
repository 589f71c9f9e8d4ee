using System.Runtime.InteropServices;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>Facts about the host that bound what a generated spec may ask for.</summary>
public sealed record RuntimeSpecOptions
{
    /// <summary>Options for this host: the agent's capability bounding set, the process architecture, the default limits.</summary>
    public static RuntimeSpecOptions Default { get; } = new()
    {
        HostCapabilities = CapabilitySet.ReadBoundingSet(),
    };

    /// <summary>
    /// The highest hard limit runc can set per ECS ulimit name. Raising a hard limit above the agent's own needs
    /// CAP_SYS_RESOURCE, which root lacks on these hosts: nofile above 20000 and nproc above 32768 fail in runc with
    /// "operation not permitted", so a definition asking for more is refused up front.
    /// </summary>
    public IReadOnlyDictionary<string, ulong> RlimitCeilings { get; init; } = new Dictionary<string, ulong>(StringComparer.Ordinal)
    {
        ["nofile"] = 20000,
        ["nproc"] = 32768,
    };

    /// <summary>
    /// RLIMIT_NOFILE when the definition sets no <c>nofile</c> ulimit. Docker's containers inherit dockerd's 1048576;
    /// that is above the ceiling here, so the soft limit is the classic 1024 (select(2)-safe) and the hard limit the
    /// ceiling, which a process may raise its soft limit to.
    /// </summary>
    public SpecRlimit DefaultNofile { get; init; } = new() { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 20000 };

    /// <summary>
    /// pids.max of every container cgroup. ECS has no per-container pids limit; 4096 stops a fork bomb from exhausting
    /// the host's pid space while leaving room for any ordinary service.
    /// </summary>
    public long PidsLimit { get; init; } = 4096;

    /// <summary>Capability names (without <c>CAP_</c>) the agent itself holds; null means all that Linux defines.</summary>
    public IReadOnlySet<string>? HostCapabilities { get; init; }

    /// <summary>Architectures the seccomp filter covers: the native ABI and the compat ones a binary can switch to.</summary>
    public IReadOnlyList<string> SeccompArchitectures { get; init; } = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.Arm64 => ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"],
        _ => ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
    };
}
