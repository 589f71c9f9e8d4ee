namespace Gantry.Agent.Sandbox;

/// <summary>What a task runner needs for a task with task-level limits: its own cgroup and, for Fargate, its own capped storage.</summary>
public interface ITaskSandboxes
{
    /// <summary>Creates the task's cgroup and storage, or finds them as a previous agent process left them.</summary>
    /// <exception cref="SandboxException">They cannot be made.</exception>
    Task<TaskSandbox> EnsureAsync(string taskId, TaskLimits limits, CancellationToken ct);

    /// <summary>Removes whatever exists of the task's cgroup and storage (its containers are gone); idempotent.</summary>
    Task ReleaseAsync(string taskId, CancellationToken ct);

    /// <summary>Releases the sandboxes of tasks not in <paramref name="keep"/>: what a crash left behind.</summary>
    Task SweepAsync(IReadOnlySet<string> keep, CancellationToken ct);
}
