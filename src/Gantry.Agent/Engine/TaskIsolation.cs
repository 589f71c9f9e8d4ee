using System.Globalization;
using Gantry.Agent.Runtime.Spec;
using Gantry.Agent.Sandbox;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Agent.Engine;

/// <summary>
/// Decides what a task holds on the node beyond its containers, and refuses what a Fargate task may not have.
/// <list type="bullet">
/// <item>FARGATE: awsvpc only (its own network namespace), task-level cpu and memory as hard limits of one cgroup,
/// its writable files on a filesystem of its ephemeral storage size, no host volumes, no host PID or IPC, and per
/// container what <see cref="SandboxRules"/> allows. The control plane refuses all this at registration; the node
/// refuses it again, so a task that slipped through stops with a CannotStartContainerError instead of running.</item>
/// <item>EC2: as ECS's EC2 agent does, a task cgroup only when the definition has task-level cpu or memory; its
/// storage is the node's (ECS documents ephemeralStorage for Fargate only).</item>
/// </list>
/// In both, a container's memory may not exceed the task's (ECS's agent refuses it as well).
/// </summary>
public static class TaskIsolation
{
    /// <summary>cgroup v1 cpu.shares bounds, as for containers.</summary>
    private const ulong MinimumShares = 2;

    private const ulong MaximumShares = 262144;

    /// <summary>The task's limits, or null when it needs no sandbox (an EC2 task without task-level cpu or memory).</summary>
    /// <exception cref="CannotStartContainerException">The task may not run as defined.</exception>
    public static TaskLimits? Limits(AgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var launch = task.Launch ?? TaskLaunch.Ec2;
        var definition = task.Definition;
        var cpu = Size(task.Overrides?.Cpu ?? definition.Cpu, "cpu");
        var memory = Size(task.Overrides?.Memory ?? definition.Memory, "memory");
        var containers = ContainerOverrides.Apply(definition, task.Overrides).ToList();
        if (launch.IsFargate)
        {
            CheckFargate(definition, cpu, memory, containers);
        }
        if (memory is int taskMemory && containers.FirstOrDefault(c => c.Memory > taskMemory) is { } greedy)
        {
            throw SpecErrors.CannotStart($"container {greedy.Name}: memory limit ({greedy.Memory} MiB) is greater than the task's memory ({taskMemory} MiB)");
        }
        if (!launch.IsFargate && cpu is null && memory is null)
        {
            return null;
        }
        var shares = (ulong)containers.Sum(c => Math.Max(0L, c.Cpu ?? 0));
        return new TaskLimits(cpu, memory, Math.Clamp(shares, MinimumShares, MaximumShares), launch.StorageGiB);
    }

    /// <summary>True when the task may hold a sandbox (to release when it stops); never throws.</summary>
    public static bool MayHoldSandbox(AgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Launch?.IsFargate == true || !string.IsNullOrEmpty(task.Overrides?.Cpu ?? task.Definition.Cpu)
            || !string.IsNullOrEmpty(task.Overrides?.Memory ?? task.Definition.Memory);
    }

    private static void CheckFargate(TaskDefinition definition, int? cpu, int? memory, IReadOnlyList<ContainerDefinition> containers)
    {
        const string Fargate = "for tasks with launch type FARGATE";
        if (definition.NetworkMode != NetworkModeValues.awsvpc)
        {
            throw SpecErrors.CannotStart($"network mode {definition.NetworkMode ?? NetworkModeValues.bridge} is not supported {Fargate}: only awsvpc");
        }
        if (cpu is null || memory is null)
        {
            throw SpecErrors.CannotStart($"task-level cpu and memory are required {Fargate}");
        }
        if (definition.PidMode == PidModeValues.host)
        {
            throw SpecErrors.CannotStart($"pidMode host is not supported {Fargate}");
        }
        if (definition.IpcMode is not null)
        {
            throw SpecErrors.CannotStart($"ipcMode is not supported {Fargate}");
        }
        if (definition.Volumes?.FirstOrDefault(v => !string.IsNullOrEmpty(v.Host?.SourcePath)) is { } host)
        {
            throw SpecErrors.CannotStart($"volume {host.Name}: host volumes (host.sourcePath) are not supported {Fargate}");
        }
        foreach (var container in containers)
        {
            SandboxRules.CheckDefinition(container);
        }
    }

    private static int? Size(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw SpecErrors.CannotStart($"task {field} '{value}' is not a whole positive number");
    }
}
