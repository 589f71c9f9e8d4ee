using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.State;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// Stops a task: desiredStatus STOPPED with its stop code and reason (the first ones win), then the agent is told.
/// A task whose agent never got it (still PROVISIONING on a lost node) stops when the agent reconnects.
/// </summary>
public sealed class TaskStopper(Documents documents, TaskDispatcher dispatcher, TimeProvider time)
{
    /// <summary>The task as stored after the change, or null when there is no such task.</summary>
    public async Task<TaskRecord?> StopAsync(string cluster, string taskId, string stopCode, string reason, CancellationToken ct)
    {
        var key = Kinds.InCluster(cluster, taskId);
        if (await documents.GetAsync<TaskRecord>(Kinds.Task, key, ct).ConfigureAwait(false) is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var record = await documents.UpdateAsync<TaskRecord>(Kinds.Task, key, current => Stopping(current!, stopCode, reason, now), ct).ConfigureAwait(false);
        Tell(record);
        return record;
    }

    /// <summary>
    /// The task wanted stopped with <paramref name="stopCode"/> and <paramref name="reason"/> (the same record when it
    /// already is), for callers that commit it together with other changes and then <see cref="Tell"/> the agent.
    /// </summary>
    public static TaskRecord Stopping(TaskRecord current, string stopCode, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Task.DesiredStatus == TaskStatus.Stopped ? current : current with
        {
            Task = current.Task with
            {
                DesiredStatus = TaskStatus.Stopped,
                StopCode = current.Task.StopCode ?? stopCode,
                StoppedReason = current.Task.StoppedReason ?? reason,
                StoppingAt = current.Task.StoppingAt ?? now,
                Version = (current.Task.Version ?? 0) + 1,
            },
        };
    }

    /// <summary>Tells the task's agent to stop it, unless it already has.</summary>
    public void Tell(TaskRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Task.LastStatus != TaskStatus.Stopped)
        {
            dispatcher.Stop(record.AgentArn, record.Task.TaskArn!, record.Task.StoppedReason ?? "", record.Task.StopCode);
        }
    }
}
