using System.Text.Json;
using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Json;
using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Agents;

/// <summary>
/// Hands tasks to the agent of their container instance when it is connected to this replica; a disconnected agent gets
/// them when it reconnects, an agent connected to another replica through that replica's <see cref="AgentTaskFeed"/>.
/// </summary>
public sealed class TaskDispatcher(AgentSessions sessions)
{
    /// <summary>Gives an awsvpc task's RunTask its security groups (null: no firewalls, as in tests without networks).</summary>
    public FirewallFeed? Firewalls { get; set; }

    /// <summary>
    /// What a stored task asks of its agent, when the agent is connected here: RunTask while it is wanted RUNNING and
    /// the agent has not reported it yet (still PROVISIONING), StopTask once it is wanted STOPPED and has not stopped.
    /// Each goes at most once per agent session (<see cref="AgentSession.FirstTime"/>).
    /// </summary>
    public void Follow(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Counted == TaskCounter.None || !sessions.IsConnected(task.AgentArn))
        {
            return;
        }
        if (task.Task.DesiredStatus == TaskStatus.Running && task.Task.LastStatus == TaskStatus.Provisioning)
        {
            Run(task);
        }
        else if (task.Task.DesiredStatus == TaskStatus.Stopped && task.Task.LastStatus != TaskStatus.Stopped)
        {
            Stop(task.AgentArn, task.Task.TaskArn!, task.Task.StoppedReason ?? "Task stopped by the control plane", task.Task.StopCode);
        }
    }

    public bool Run(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return sessions.Send(task.AgentArn, new ControlMessage
        {
            RunTask = new RunTask
            {
                TaskArn = task.Task.TaskArn,
                TaskDefinitionJson = JsonSerializer.Serialize(task.Definition, AwsJson.Options),
                OverridesJson = task.Task.Overrides is null ? "" : JsonSerializer.Serialize(task.Task.Overrides, AwsJson.Options),
                LaunchType = task.Task.LaunchType ?? "EC2",
                EphemeralStorageGib = task.Task.EphemeralStorage?.SizeInGiB ?? 0,
                Cluster = task.Task.ClusterArn ?? "",
                AssignPublicIp = task.AssignPublicIp,
                DnsSearch = { task.DnsSearch is { } search ? [search] : [] },
                Firewall = Firewalls?.For(task),
                Interface = task.Interface is { } eni
                    ? new TaskInterfaceAddress { Address = eni.Address, PrefixLength = eni.PrefixLength, Gateway = eni.Gateway }
                    : null,
            },
        });
    }

    /// <summary>Tells the agent its task's final state is stored, so it may forget the task.</summary>
    public bool Recorded(string agentArn, string taskArn) =>
        sessions.Send(agentArn, new ControlMessage { Recorded = new Recorded { TaskArn = taskArn } });

    /// <summary>Tells the agent to stop a task; <paramref name="stopCode"/> (e.g. SpotInterruption) shapes how it stops.</summary>
    public bool Stop(string agentArn, string taskArn, string reason, string? stopCode = null) =>
        sessions.Send(agentArn, new ControlMessage { StopTask = new StopTask { TaskArn = taskArn, Reason = reason, StopCode = stopCode ?? "" } });
}
