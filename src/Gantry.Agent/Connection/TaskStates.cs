using Gantry.Agent.Engine;
using Gantry.Agent.Protocol;

namespace Gantry.Agent.Connection;

/// <summary>Turns the agent's task state into the protocol's TaskState report.</summary>
public static class TaskStates
{
    public static TaskState From(AgentTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var state = new TaskState
        {
            TaskArn = task.TaskArn,
            LastStatus = task.LastStatus,
            StopCode = task.StopCode ?? "",
            StoppedReason = task.StoppedReason ?? "",
            PullStartedAtMs = task.PullStartedAt?.ToUnixTimeMilliseconds() ?? 0,
            PullStoppedAtMs = task.PullStoppedAt?.ToUnixTimeMilliseconds() ?? 0,
            StartedAtMs = task.StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            ExecutionStoppedAtMs = task.ExecutionStoppedAt?.ToUnixTimeMilliseconds() ?? 0,
            PrivateIpv4 = task.PrivateIp ?? "",
            MacAddress = task.PrivateIp is null ? "" : Networking.TaskNetwork.MacAddress(task.Id),
            HealthStatus = HealthStatuses.OfTask(task.Definition, task.Containers),
        };
        foreach (var container in task.Containers)
        {
            var report = new ContainerState
            {
                Name = container.Name,
                RuntimeId = container.RuntimeId,
                LastStatus = container.LastStatus,
                Reason = container.Reason ?? "",
                ImageDigest = container.ImageDigest ?? "",
                OomKilled = container.OomKilled,
                HealthStatus = container.HealthStatus ?? "",
            };
            report.NetworkBindings.AddRange((container.Bindings ?? []).Select(b => new NetworkBinding
            {
                BindIp = b.BindIp,
                ContainerPort = b.ContainerPort,
                HostPort = b.HostPort,
                Protocol = b.Protocol,
            }));
            if (container.ExitCode is { } code)
            {
                report.ExitCode = code;
            }
            state.Containers.Add(report);
        }
        return state;
    }
}
