using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Sandbox;

/// <summary>
/// The node's task sandboxes: each task with task-level limits gets its own cgroup (<see cref="TaskCgroup"/>), and
/// each Fargate task its own filesystem of its ephemeral storage size (<see cref="EphemeralDisk"/>) under
/// <c>&lt;state&gt;/sandboxes</c>. Both outlive the agent process, as the task's containers do: a restarted agent finds
/// them again, and releases those of tasks it no longer has (<see cref="SweepAsync"/>): every sandbox has its directory
/// under <c>sandboxes</c>, the node's record of what it has to release.
/// </summary>
public sealed partial class TaskSandboxes : ITaskSandboxes
{
    private readonly TaskCgroup _cgroups;
    private readonly EphemeralDisk _disks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="stateDirectory">The agent's state directory; storage goes to its <c>sandboxes</c> directory.</param>
    /// <param name="cgroupRoot">Where the cgroup hierarchies are mounted.</param>
    public TaskSandboxes(string stateDirectory, TimeProvider time, ILogger logger, string cgroupRoot = "/sys/fs/cgroup")
    {
        _time = time;
        _cgroups = new TaskCgroup(cgroupRoot);
        _disks = new EphemeralDisk(Path.Combine(stateDirectory, "sandboxes"));
        _logger = logger;
    }

    public async Task<TaskSandbox> EnsureAsync(string taskId, TaskLimits limits, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // The task's directory under sandboxes/ (its storage's mount point) is made first: it marks the task's cgroup as
        // this node's to release, including after a crash. cgroups alone cannot say which agent on the host made them.
        Directory.CreateDirectory(_disks.MountPointOf(taskId));
        _cgroups.Create(taskId, limits);
        string? storage = null;
        if (limits.StorageGiB > 0)
        {
            var started = _time.GetTimestamp();
            storage = await _disks.EnsureAsync(taskId, limits.StorageGiB, ct).ConfigureAwait(false);
            var elapsed = _time.GetElapsedTime(started);
            LogStorageReady(_logger, taskId, limits.StorageGiB, elapsed.TotalMilliseconds);
            if (limits.StorageGiB == EphemeralDisk.SpareSizeGiB)
            {
                _ = PrepareSpareAsync();
            }
        }
        return new TaskSandbox(TaskCgroup.PathOf(taskId), storage);
    }

    /// <summary>The next task of the default size finds its storage formatted (made in the background, never failing a task).</summary>
    private async Task PrepareSpareAsync()
    {
        try
        {
            await _disks.PrepareSpareAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SandboxException or UnauthorizedAccessException)
        {
            LogSpareFailed(_logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not prepare a spare ephemeral storage image: {Reason}")]
    private static partial void LogSpareFailed(ILogger logger, string reason);

    public Task ReleaseAsync(string taskId, CancellationToken ct)
    {
        try
        {
            _disks.Release(taskId);
        }
        catch (IOException e)
        {
            LogReleaseFailed(_logger, taskId, e.Message);
        }
        foreach (var left in _cgroups.Remove(taskId))
        {
            LogReleaseFailed(_logger, taskId, $"cgroup {left} still has processes");
        }
        return Task.CompletedTask;
    }

    public async Task SweepAsync(IReadOnlySet<string> keep, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keep);
        foreach (var taskId in _disks.TaskIds().Where(id => !keep.Contains(id)))
        {
            LogSwept(_logger, taskId);
            await ReleaseAsync(taskId, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: ephemeral storage of {SizeGiB} GiB ready in {Milliseconds:F0} ms")]
    private static partial void LogStorageReady(ILogger logger, string taskId, int sizeGiB, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: sandbox not fully released: {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Releasing the sandbox of task {TaskId}, which this node no longer runs")]
    private static partial void LogSwept(ILogger logger, string taskId);
}
