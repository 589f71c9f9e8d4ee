using System.Text.Json.Serialization;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The <c>linux</c> member: namespaces, cgroup resources and the hardening runc applies.</summary>
public sealed record LinuxSpec
{
    /// <summary>Namespaces to create (no path) or join (path).</summary>
    [JsonPropertyName("namespaces")]
    public IReadOnlyList<LinuxNamespace> Namespaces { get; init; } = [];

    /// <summary>Device nodes runc creates in the container's <c>/dev</c> (the definition's <c>linuxParameters.devices</c>).</summary>
    [JsonPropertyName("devices")]
    public IReadOnlyList<LinuxDevice>? Devices { get; init; }

    /// <summary>cgroup limits.</summary>
    [JsonPropertyName("resources")]
    public LinuxResources? Resources { get; init; }

    /// <summary>The container's cgroup, relative to each controller's root.</summary>
    [JsonPropertyName("cgroupsPath")]
    public string? CgroupsPath { get; init; }

    /// <summary>Namespaced kernel parameters (the definition's <c>systemControls</c>).</summary>
    [JsonPropertyName("sysctl")]
    public IReadOnlyDictionary<string, string>? Sysctl { get; init; }

    /// <summary>Paths hidden from the container (an empty bind or <c>/dev/null</c> over them).</summary>
    [JsonPropertyName("maskedPaths")]
    public IReadOnlyList<string>? MaskedPaths { get; init; }

    /// <summary>Paths remounted read-only.</summary>
    [JsonPropertyName("readonlyPaths")]
    public IReadOnlyList<string>? ReadonlyPaths { get; init; }

    /// <summary>The syscall filter; null for privileged containers.</summary>
    [JsonPropertyName("seccomp")]
    public LinuxSeccomp? Seccomp { get; init; }
}

/// <summary>One entry of <c>linux.namespaces</c>.</summary>
public sealed record LinuxNamespace
{
    /// <summary><c>pid</c>, <c>network</c>, <c>mount</c>, <c>ipc</c>, <c>uts</c>, <c>user</c> or <c>cgroup</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>An existing namespace to join (e.g. <c>/var/run/netns/x</c>); null creates a new one.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }
}

/// <summary>One entry of <c>linux.devices</c>: a device node to create.</summary>
public sealed record LinuxDevice
{
    /// <summary>Path inside the container.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary><c>c</c> (character) or <c>b</c> (block).</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Major number.</summary>
    [JsonPropertyName("major")]
    public long Major { get; init; }

    /// <summary>Minor number.</summary>
    [JsonPropertyName("minor")]
    public long Minor { get; init; }

    /// <summary>Permission bits of the node.</summary>
    [JsonPropertyName("fileMode")]
    public uint? FileMode { get; init; }

    /// <summary>Owner.</summary>
    [JsonPropertyName("uid")]
    public uint? Uid { get; init; }

    /// <summary>Group.</summary>
    [JsonPropertyName("gid")]
    public uint? Gid { get; init; }
}

/// <summary>The <c>linux.resources</c> member.</summary>
public sealed record LinuxResources
{
    /// <summary>Device cgroup rules, applied in order (a deny-all first, then allows).</summary>
    [JsonPropertyName("devices")]
    public IReadOnlyList<LinuxDeviceCgroup>? Devices { get; init; }

    /// <summary>Memory controller settings.</summary>
    [JsonPropertyName("memory")]
    public LinuxMemory? Memory { get; init; }

    /// <summary>CPU controller settings.</summary>
    [JsonPropertyName("cpu")]
    public LinuxCpu? Cpu { get; init; }

    /// <summary>Pids controller settings.</summary>
    [JsonPropertyName("pids")]
    public LinuxPids? Pids { get; init; }
}

/// <summary>One device cgroup rule.</summary>
public sealed record LinuxDeviceCgroup
{
    /// <summary>Allow (true) or deny (false).</summary>
    [JsonPropertyName("allow")]
    public bool Allow { get; init; }

    /// <summary><c>a</c> (all), <c>c</c> or <c>b</c>; null means all.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>Major number; null matches any.</summary>
    [JsonPropertyName("major")]
    public long? Major { get; init; }

    /// <summary>Minor number; null matches any.</summary>
    [JsonPropertyName("minor")]
    public long? Minor { get; init; }

    /// <summary>Any of <c>r</c>, <c>w</c>, <c>m</c>.</summary>
    [JsonPropertyName("access")]
    public string? Access { get; init; }
}

/// <summary>The <c>linux.resources.memory</c> member, in bytes.</summary>
public sealed record LinuxMemory
{
    /// <summary>Hard limit (the definition's <c>memory</c>).</summary>
    [JsonPropertyName("limit")]
    public long? Limit { get; init; }

    /// <summary>Soft limit (the definition's <c>memoryReservation</c>).</summary>
    [JsonPropertyName("reservation")]
    public long? Reservation { get; init; }

    /// <summary>Memory plus swap; equal to <see cref="Limit"/> means no swap.</summary>
    [JsonPropertyName("swap")]
    public long? Swap { get; init; }

    /// <summary>vm.swappiness for the cgroup (0-100).</summary>
    [JsonPropertyName("swappiness")]
    public ulong? Swappiness { get; init; }
}

/// <summary>The <c>linux.resources.cpu</c> member.</summary>
public sealed record LinuxCpu
{
    /// <summary>Relative weight (cgroup v1 cpu.shares).</summary>
    [JsonPropertyName("shares")]
    public ulong? Shares { get; init; }
}

/// <summary>The <c>linux.resources.pids</c> member.</summary>
public sealed record LinuxPids
{
    /// <summary>Maximum number of tasks in the cgroup.</summary>
    [JsonPropertyName("limit")]
    public long Limit { get; init; }
}
