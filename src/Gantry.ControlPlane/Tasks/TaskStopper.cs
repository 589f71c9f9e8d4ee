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
        var record = await documents.UpdateAsync<TaskRecord>(Kinds.Task, key, current => current!.Task.DesiredStatus == TaskStatus.Stopped ? current : current with
        {
            Task = current.Task with
            {
                DesiredStatus = TaskStatus.Stopped,
                StopCode = current.Task.StopCode ?? stopCode,
                StoppedReason = current.Task.StoppedReason ?? reason,
                StoppingAt = current.Task.StoppingAt ?? time.GetUtcNow(),
                Version = (current.Task.Version ?? 0) + 1,
            },
        }, ct).ConfigureAwait(false);
        if (record.Task.LastStatus != TaskStatus.Stopped)
        {
            dispatcher.Stop(record.AgentArn, record.Task.TaskArn!, reason);
        }
        return record;
    }
}
