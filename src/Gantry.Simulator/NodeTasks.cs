using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Agent.Protocol;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;

namespace Gantry.Simulator;

/// <summary>
/// The tasks one simulated node runs, kept as the agent's engine keeps them: a task is added by RunTask (PENDING),
/// moves to RUNNING after the run delay, to STOPPED on StopTask, and is forgotten once the control plane answered
/// Recorded. Every change returns the report to send (null when nothing changed); statuses only move forward.
/// </summary>
public sealed class NodeTasks(TimeProvider time)
{
    private readonly Dictionary<string, SimulatedTask> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A new task, PENDING; null when the node already has it (a RunTask sent again after a reconnect).</summary>
    public SimulatedTask? Run(RunTask run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var definition = JsonSerializer.Deserialize<TaskDefinition>(run.TaskDefinitionJson, AwsJson.Options);
        var containers = (definition?.ContainerDefinitions ?? [])
            .Select(c => new SimulatedContainer(c.Name ?? "", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), c.HealthCheck is not null))
            .ToList();
        var task = new SimulatedTask(run.TaskArn, containers, TaskStatus.Pending, time.GetUtcNow());
        lock (_lock)
        {
            return _tasks.TryAdd(run.TaskArn, task) ? task : null;
        }
    }

    /// <summary>The task RUNNING; null unless it was still PENDING (it may have been stopped meanwhile).</summary>
    public SimulatedTask? MarkRunning(string taskArn) => Change(taskArn, t => t.LastStatus != TaskStatus.Pending ? null : t with
    {
        LastStatus = TaskStatus.Running,
        PullStoppedAt = time.GetUtcNow(),
        StartedAt = time.GetUtcNow(),
    });

    /// <summary>The task STOPPED with the control plane's reason; null when the node does not have it or it is already stopped.</summary>
    public SimulatedTask? Stop(string taskArn, string reason, string stopCode) => Change(taskArn, t => t.LastStatus == TaskStatus.Stopped ? null : t with
    {
        LastStatus = TaskStatus.Stopped,
        ExecutionStoppedAt = time.GetUtcNow(),
        StopCode = t.StopCode ?? stopCode,
        StoppedReason = t.StoppedReason ?? reason,
    });

    /// <summary>Forgets a STOPPED task whose end the control plane has stored.</summary>
    public void Forget(string taskArn)
    {
        lock (_lock)
        {
            if (_tasks.TryGetValue(taskArn, out var task) && task.LastStatus == TaskStatus.Stopped)
            {
                _tasks.Remove(taskArn);
            }
        }
    }

    /// <summary>Every task the node has (what Register carries after a reconnect).</summary>
    public IReadOnlyList<SimulatedTask> All()
    {
        lock (_lock)
        {
            return [.. _tasks.Values];
        }
    }

    /// <summary>Stopped tasks the control plane has not confirmed yet (sent again with each heartbeat).</summary>
    public IReadOnlyList<SimulatedTask> Unrecorded()
    {
        lock (_lock)
        {
            return [.. _tasks.Values.Where(t => t.LastStatus == TaskStatus.Stopped)];
        }
    }

    private SimulatedTask? Change(string taskArn, Func<SimulatedTask, SimulatedTask?> change)
    {
        lock (_lock)
        {
            if (!_tasks.TryGetValue(taskArn, out var task) || change(task) is not { } changed)
            {
                return null;
            }
            _tasks[taskArn] = changed;
            return changed;
        }
    }
}
