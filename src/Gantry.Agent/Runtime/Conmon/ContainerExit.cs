namespace Gantry.Agent.Runtime.Conmon;

/// <summary>How a container ended: its exit code (128+signal when killed) and whether the kernel's OOM killer did it.</summary>
public sealed record ContainerExit(int ExitCode, bool OomKilled, DateTimeOffset ExitedAt);

/// <summary>What runc knows of a container.</summary>
public enum ContainerStatus
{
    Missing,
    Created,
    Running,
    Paused,
    Stopped,
}
