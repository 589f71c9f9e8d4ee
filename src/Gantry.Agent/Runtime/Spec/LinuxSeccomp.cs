using System.Text.Json.Serialization;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The <c>linux.seccomp</c> member: a syscall filter.</summary>
public sealed record LinuxSeccomp
{
    /// <summary>What happens to a syscall no rule matches (<c>SCMP_ACT_ALLOW</c>, <c>SCMP_ACT_ERRNO</c>, ...).</summary>
    [JsonPropertyName("defaultAction")]
    public required string DefaultAction { get; init; }

    /// <summary>The ABIs the filter covers, e.g. <c>SCMP_ARCH_X86_64</c>.</summary>
    [JsonPropertyName("architectures")]
    public IReadOnlyList<string> Architectures { get; init; } = [];

    /// <summary>Rules, first match wins.</summary>
    [JsonPropertyName("syscalls")]
    public IReadOnlyList<LinuxSyscall> Syscalls { get; init; } = [];
}

/// <summary>One rule of <c>linux.seccomp.syscalls</c>.</summary>
public sealed record LinuxSyscall
{
    /// <summary>Syscall names; names unknown on an architecture are skipped by runc.</summary>
    [JsonPropertyName("names")]
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>The action, e.g. <c>SCMP_ACT_ERRNO</c>.</summary>
    [JsonPropertyName("action")]
    public required string Action { get; init; }

    /// <summary>The errno returned by <c>SCMP_ACT_ERRNO</c> (1 = EPERM, 38 = ENOSYS).</summary>
    [JsonPropertyName("errnoRet")]
    public uint? ErrnoRet { get; init; }

    /// <summary>Argument conditions, all of which must hold.</summary>
    [JsonPropertyName("args")]
    public IReadOnlyList<LinuxSeccompArg>? Args { get; init; }
}

/// <summary>An argument condition of a seccomp rule.</summary>
public sealed record LinuxSeccompArg
{
    /// <summary>Zero-based argument index.</summary>
    [JsonPropertyName("index")]
    public uint Index { get; init; }

    /// <summary>The value (the mask for <c>SCMP_CMP_MASKED_EQ</c>).</summary>
    [JsonPropertyName("value")]
    public ulong Value { get; init; }

    /// <summary>The second value (the expected masked value for <c>SCMP_CMP_MASKED_EQ</c>).</summary>
    [JsonPropertyName("valueTwo")]
    public ulong ValueTwo { get; init; }

    /// <summary>The comparison, e.g. <c>SCMP_CMP_MASKED_EQ</c>.</summary>
    [JsonPropertyName("op")]
    public required string Op { get; init; }
}
