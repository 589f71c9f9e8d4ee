using System.Collections.Concurrent;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Engine;

/// <summary>
/// The tasks of this node: starts a <see cref="TaskRunner"/> per task, resumes persisted tasks after a restart
/// (re-adopting their containers), and tells <see cref="TaskChanged"/> about every state change.
/// Running a task that is already known does nothing, so a repeated RunTask never starts containers twice.
/// </summary>
public sealed partial class TaskEngine(NodeServices node) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (TaskRunner Runner, Task Run)> _tasks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private long _firewallUpdates;

    /// <summary>Firewall updates applied at once (each is an iptables-restore process): one per core, two at least.</summary>
    private readonly SemaphoreSlim _firewallSlots = new(Math.Max(2, Environment.ProcessorCount));

    /// <summary>Raised after every persisted change of a task.</summary>
    public event Func<AgentTask, Task>? TaskChanged;

    public IReadOnlyList<AgentTask> Tasks => [.. _tasks.Values.Select(t => t.Runner.Current)];

    /// <summary>Image snapshots used by containers of tasks that have not stopped: image garbage collection keeps them.</summary>
    public IReadOnlySet<string> InUseSnapshots =>
        Tasks.Where(t => t.LastStatus != TaskStatus.Stopped).SelectMany(t => t.Containers).SelectMany(c => c.Layers ?? []).ToHashSet(StringComparer.Ordinal);

    /// <summary>Loads the tasks a previous agent process left and resumes them.</summary>
    public async Task ResumeAsync(CancellationToken ct)
    {
        var tasks = await node.Files.LoadAllAsync(ct).ConfigureAwait(false);
        if (node.Sandboxes is { } sandboxes)
        {
            // Sandboxes of tasks whose state is gone (forgotten, or never saved): nothing will release them otherwise.
            await sandboxes.SweepAsync(tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal), ct).ConfigureAwait(false);
        }
        foreach (var task in tasks)
        {
            Start(task);
        }
    }

    /// <summary>Starts a task unless this node already has it.</summary>
    /// <param name="launch">How the control plane launched it; null for EC2.</param>
    public AgentTask Run(string taskArn, TaskDefinition definition, TaskOverride? overrides, RegistryCredentials? registry, TaskLaunch? launch = null)
    {
        ArgumentNullException.ThrowIfNull(taskArn);
        ArgumentNullException.ThrowIfNull(definition);
        if (_tasks.TryGetValue(taskArn, out var existing))
        {
            return existing.Runner.Current;
        }
        var id = EcsArns.TaskId(taskArn);
        var containers = (definition.ContainerDefinitions ?? [])
            .Select(c => new AgentContainer(c.Name!, RuntimeId(id, c.Name!), ContainerStatus.Pending, MetadataId: MetadataEndpoint.MetadataIds.New())).ToList();
        var task = new AgentTask(taskArn, definition, overrides, TaskStatus.Running, TaskStatus.Provisioning, containers, node.Time.GetUtcNow(), Registry: registry,
            Launch: launch ?? TaskLaunch.Ec2);
        return Start(task).Current;
    }

    /// <summary>Stops a task (stop signal, then SIGKILL after each container's stopTimeout); false when unknown.</summary>
    /// <param name="stopCode">Why (UserInitiated when not given); under SpotInterruption no container waits past the warning.</param>
    public async Task<bool> StopAsync(string taskArn, string reason, string? stopCode = null)
    {
        if (!_tasks.TryGetValue(taskArn, out var entry))
        {
            return false;
        }
        await entry.Runner.RequestStopAsync(string.IsNullOrEmpty(stopCode) ? TaskStopCodeValues.UserInitiated : stopCode, reason).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops every task this node runs (a Fargate Spot node being reclaimed) and waits until all reached STOPPED.</summary>
    public async Task StopAllAsync(string stopCode, string reason)
    {
        var entries = _tasks.Values.ToList();
        foreach (var (runner, _) in entries)
        {
            await runner.RequestStopAsync(stopCode, reason).ConfigureAwait(false);
        }
        await Task.WhenAll(entries.Select(e => e.Run)).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies a task's security groups as they now are, in the background (an update touching every task of a node must
    /// not hold up the control stream); false when the task is unknown here. Updates are numbered as they arrive, so an
    /// older one that finishes waiting later never replaces a newer one. A failure is logged.
    /// </summary>
    public bool UpdateFirewall(string taskArn, Networking.TaskFirewallPolicy policy)
    {
        if (!_tasks.TryGetValue(taskArn, out var entry))
        {
            return false;
        }
        var sequence = Interlocked.Increment(ref _firewallUpdates);
        _ = ApplyAsync();
        return true;

        async Task ApplyAsync()
        {
            try
            {
                await _firewallSlots.WaitAsync(_shutdown.Token).ConfigureAwait(false);
                try
                {
                    await entry.Runner.UpdateFirewallAsync(policy, sequence, _shutdown.Token).ConfigureAwait(false);
                }
                finally
                {
                    _firewallSlots.Release();
                }
            }
            catch (Exception e) when (e is Runtime.Spec.CannotStartContainerException or OperationCanceledException or ObjectDisposedException)
            {
                LogFirewallFailed(node.Logger, taskArn, e.Message);
            }
        }
    }

    /// <summary>Waits until a task reaches STOPPED (for callers that need the outcome).</summary>
    public Task WhenStoppedAsync(string taskArn) => _tasks.TryGetValue(taskArn, out var entry) ? entry.Run : Task.CompletedTask;

    /// <summary>Forgets a STOPPED task's files once the control plane has recorded its end.</summary>
    public void Forget(string taskArn)
    {
        if (_tasks.TryGetValue(taskArn, out var entry) && entry.Runner.Current.LastStatus == TaskStatus.Stopped && _tasks.TryRemove(taskArn, out _))
        {
            node.Files.Delete(entry.Runner.Current.Id);
            entry.Runner.Dispose();
        }
    }

    /// <summary>Stops supervising without touching containers: they keep running for the next agent process.</summary>
    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks.Values.Select(t => t.Run)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var (runner, _) in _tasks.Values)
        {
            runner.Dispose();
        }
        _shutdown.Dispose();
        _firewallSlots.Dispose();
    }

    /// <summary>A runc id unique on the host and stable across agent restarts: the task id and the container name.</summary>
    public static string RuntimeId(string taskId, string containerName) => Domain.Logs.AwslogsNaming.RuntimeId(taskId, containerName);

    private TaskRunner Start(AgentTask task)
    {
        var runner = new TaskRunner(task, node, ReportAsync);
        var run = Task.Run(async () =>
        {
            try
            {
                await runner.RunAsync(_shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A fault in the runner must not leave the task hanging: stop it (cleaning up what exists) and report it.
                LogRunnerFailed(node.Logger, e, task.TaskArn);
                try
                {
                    await runner.RequestStopAsync(TaskStopCodeValues.TaskFailedToStart, $"Agent error: {e.Message}").ConfigureAwait(false);
                    await runner.RunAsync(_shutdown.Token).ConfigureAwait(false);
                }
                catch (Exception again) when (again is not OperationCanceledException)
                {
                    LogRunnerFailed(node.Logger, again, task.TaskArn);
                }
            }
        });
        _tasks[task.TaskArn] = (runner, run);
        return runner;
    }

    private async Task ReportAsync(AgentTask task)
    {
        if (TaskChanged is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<AgentTask, Task>>())
            {
                await handler(task).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskArn} runner failed")]
    private static partial void LogRunnerFailed(ILogger logger, Exception exception, string taskArn);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskArn}: its security groups could not be applied: {Reason}")]
    private static partial void LogFirewallFailed(ILogger logger, string taskArn, string reason);
}
