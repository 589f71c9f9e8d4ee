using System.Text.Json.Serialization;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>The <c>process</c> member: what runs in the container and with which identity and limits.</summary>
public sealed record SpecProcess
{
    /// <summary>Attach a pseudo-terminal (the definition's <c>pseudoTerminal</c>).</summary>
    [JsonPropertyName("terminal")]
    public bool Terminal { get; init; }

    /// <summary>The numeric identity the process runs as.</summary>
    [JsonPropertyName("user")]
    public required SpecUser User { get; init; }

    /// <summary>argv; the first element is the executable.</summary>
    [JsonPropertyName("args")]
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>Environment as <c>NAME=value</c>.</summary>
    [JsonPropertyName("env")]
    public required IReadOnlyList<string> Env { get; init; }

    /// <summary>Absolute working directory (runc creates it when missing).</summary>
    [JsonPropertyName("cwd")]
    public required string Cwd { get; init; }

    /// <summary>Capability sets, names with the <c>CAP_</c> prefix.</summary>
    [JsonPropertyName("capabilities")]
    public required SpecCapabilities Capabilities { get; init; }

    /// <summary>Resource limits set with setrlimit before exec.</summary>
    [JsonPropertyName("rlimits")]
    public IReadOnlyList<SpecRlimit> Rlimits { get; init; } = [];

    /// <summary>Set PR_SET_NO_NEW_PRIVS: setuid binaries and file capabilities grant nothing.</summary>
    [JsonPropertyName("noNewPrivileges")]
    public bool NoNewPrivileges { get; init; }

    /// <summary>The process's oom_score_adj; null inherits the agent's.</summary>
    [JsonPropertyName("oomScoreAdj")]
    public int? OomScoreAdj { get; init; }
}

/// <summary>The <c>process.user</c> member.</summary>
public sealed record SpecUser
{
    /// <summary>User id.</summary>
    [JsonPropertyName("uid")]
    public uint Uid { get; init; }

    /// <summary>Primary group id.</summary>
    [JsonPropertyName("gid")]
    public uint Gid { get; init; }

    /// <summary>Supplementary group ids.</summary>
    [JsonPropertyName("additionalGids")]
    public IReadOnlyList<uint>? AdditionalGids { get; init; }
}

/// <summary>The <c>process.capabilities</c> member.</summary>
public sealed record SpecCapabilities
{
    /// <summary>The bounding set: the most any later exec can gain.</summary>
    [JsonPropertyName("bounding")]
    public IReadOnlyList<string> Bounding { get; init; } = [];

    /// <summary>The effective set.</summary>
    [JsonPropertyName("effective")]
    public IReadOnlyList<string> Effective { get; init; } = [];

    /// <summary>The permitted set.</summary>
    [JsonPropertyName("permitted")]
    public IReadOnlyList<string> Permitted { get; init; } = [];

    /// <summary>The inheritable set (empty, as Docker since CVE-2022-24769).</summary>
    [JsonPropertyName("inheritable")]
    public IReadOnlyList<string> Inheritable { get; init; } = [];

    /// <summary>The ambient set (empty, as Docker).</summary>
    [JsonPropertyName("ambient")]
    public IReadOnlyList<string> Ambient { get; init; } = [];
}

/// <summary>One entry of <c>process.rlimits</c>.</summary>
public sealed record SpecRlimit
{
    /// <summary>The limit, e.g. <c>RLIMIT_NOFILE</c>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The hard limit; <see cref="ulong.MaxValue"/> is unlimited.</summary>
    [JsonPropertyName("hard")]
    public ulong Hard { get; init; }

    /// <summary>The soft limit; <see cref="ulong.MaxValue"/> is unlimited.</summary>
    [JsonPropertyName("soft")]
    public ulong Soft { get; init; }
}
