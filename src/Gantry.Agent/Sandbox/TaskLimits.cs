namespace Gantry.Agent.Sandbox;

/// <summary>What a task holds on its node besides containers and network.</summary>
/// <param name="CpuUnits">Task-level cpu (1024 per vCPU), a hard CFS quota across the task; null for none.</param>
/// <param name="MemoryMiB">Task-level memory, a hard limit with no swap beyond it; null for none.</param>
/// <param name="Shares">cpu.shares of the task's cgroup when it has no cpu quota (ECS: its containers' cpu summed, at least 2).</param>
/// <param name="StorageGiB">The size of the filesystem holding everything the task writes; 0 for no cap.</param>
public sealed record TaskLimits(int? CpuUnits, int? MemoryMiB, ulong Shares, int StorageGiB);

/// <summary>Where a task's sandbox puts it: the parent cgroup of its containers, the root of its writable files.</summary>
/// <param name="CgroupParent">Its containers' cgroups go below this cgroup path (e.g. <c>/gantry/&lt;task id&gt;</c>).</param>
/// <param name="StorageRoot">Its containers' writable layers, volumes and /etc files go below this host directory; null: the task's own directory, uncapped.</param>
public sealed record TaskSandbox(string CgroupParent, string? StorageRoot);

/// <summary>The node could not set up a task's cgroup or storage; the message is the task's stopped reason.</summary>
public sealed class SandboxException(string message, Exception? inner = null) : Exception(message, inner);
