using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// Brings a (re)connected agent and the stored tasks of its instance into agreement: reported states are applied,
/// tasks the agent does not know are started, tasks the control plane does not know or wants stopped are stopped.
/// An agent speaks only for its own instance: reports about another instance's tasks are ignored.
/// </summary>
public sealed partial class AgentReconciler(Documents documents, ClusterStateCache clusters, TaskStateUpdater updater, TaskDispatcher dispatcher, ILogger<AgentReconciler> logger)
{
    public async Task ReconcileAsync(IReadOnlyList<Membership> memberships, IReadOnlyList<TaskState> reported, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(memberships);
        ArgumentNullException.ThrowIfNull(reported);
        var agentArns = memberships.Select(m => m.Arn).ToList();
        foreach (var state in reported)
        {
            await ApplyAsync(agentArns, state, ct).ConfigureAwait(false);
        }
        foreach (var membership in memberships)
        {
            await ReconcileAsync(membership, agentArns, reported, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The tasks placed on one membership: a container instance's in its cluster, a pool node's in every cluster.</summary>
    private async Task ReconcileAsync(Membership membership, IReadOnlyList<string> agentArns, IReadOnlyList<TaskState> reported, CancellationToken ct)
    {
        // A pool node's tasks are stored in the clusters that launched them; a container instance's are the cache's.
        var held = FargatePool.IsPool(membership.Cluster)
            ? [.. (await documents.ListAllAsync<TaskRecord>(Kinds.Task, null, ct).ConfigureAwait(false)).Select(p => p.Value)]
            : await clusters.HeldOnAsync(membership.Cluster, membership.InstanceId, ct).ConfigureAwait(false);
        foreach (var task in held.Where(t => t.AgentArn == membership.Arn && t.Counted != TaskCounter.None))
        {
            var reportedState = reported.FirstOrDefault(r => r.TaskArn == task.Task.TaskArn);
            if (reportedState is null && task.Task.DesiredStatus == TaskStatus.Running)
            {
                dispatcher.Run(task);
            }
            else if (reportedState is null)
            {
                // Wanted stopped and the agent never had it: it is stopped.
                await updater.ApplyAsync(new TaskState { TaskArn = task.Task.TaskArn, LastStatus = TaskStatus.Stopped }, agentArns, ct).ConfigureAwait(false);
            }
            else if (task.Task.DesiredStatus == TaskStatus.Stopped && reportedState.LastStatus != TaskStatus.Stopped)
            {
                dispatcher.Stop(membership.Arn, task.Task.TaskArn!, task.Task.StoppedReason ?? "Task stopped by the control plane", task.Task.StopCode);
            }
        }
    }

    /// <summary>
    /// Applies one report; a task the control plane does not know is stopped on the node. Once a STOPPED state is
    /// stored (or the task is unknown), the agent is told it may forget the task — never before, so a final state
    /// is never lost between the two. A report about another instance's task changes nothing.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<string> agentArns, TaskState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agentArns);
        ArgumentNullException.ThrowIfNull(state);
        var outcome = await updater.ApplyAsync(state, agentArns, ct).ConfigureAwait(false);
        if (outcome == ReportOutcome.OtherInstance)
        {
            LogForeignReport(logger, agentArns[0], state.TaskArn);
            return;
        }
        if (outcome == ReportOutcome.UnknownTask && state.LastStatus != TaskStatus.Stopped)
        {
            dispatcher.Stop(agentArns[0], state.TaskArn, "Task unknown to the control plane");
        }
        if (state.LastStatus == TaskStatus.Stopped)
        {
            dispatcher.Recorded(agentArns[0], state.TaskArn);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent of {InstanceArn} reported {TaskArn}, a task of another instance: ignored")]
    private static partial void LogForeignReport(ILogger logger, string instanceArn, string taskArn);
}
