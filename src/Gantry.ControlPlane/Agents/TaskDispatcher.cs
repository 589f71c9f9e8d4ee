using System.Text.Json;
using Gantry.Agent.Protocol;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Json;

namespace Gantry.ControlPlane.Agents;

/// <summary>Hands tasks to the agent of their container instance; a disconnected agent gets them when it reconnects.</summary>
public sealed class TaskDispatcher(AgentSessions sessions)
{
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
