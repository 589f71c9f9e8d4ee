using Gantry.Agent.Protocol;
using Gantry.Domain.Tasks;

namespace Gantry.Simulator;

/// <summary>A container of a simulated task: its runtime id (64 hex digits, as runc's) and whether it has a health check.</summary>
public sealed record SimulatedContainer(string Name, string RuntimeId, bool HealthChecked);

/// <summary>
/// One task as a simulated node runs it: nothing is pulled or started, only the statuses and times a real agent
/// reports (PENDING with the pull start, RUNNING with its containers RUNNING and healthy, STOPPED with the reason).
/// </summary>
public sealed record SimulatedTask(
    string TaskArn,
    IReadOnlyList<SimulatedContainer> Containers,
    string LastStatus,
    DateTimeOffset PullStartedAt,
    DateTimeOffset? PullStoppedAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? ExecutionStoppedAt = null,
    string? StopCode = null,
    string? StoppedReason = null)
{
    /// <summary>The exit code the simulated containers stop with (a process that handles SIGTERM and exits cleanly).</summary>
    public const int ExitCode = 0;

    public TaskState ToState()
    {
        var state = new TaskState
        {
            TaskArn = TaskArn,
            LastStatus = LastStatus,
            StopCode = StopCode ?? "",
            StoppedReason = StoppedReason ?? "",
            PullStartedAtMs = PullStartedAt.ToUnixTimeMilliseconds(),
            PullStoppedAtMs = PullStoppedAt?.ToUnixTimeMilliseconds() ?? 0,
            StartedAtMs = StartedAt?.ToUnixTimeMilliseconds() ?? 0,
            ExecutionStoppedAtMs = ExecutionStoppedAt?.ToUnixTimeMilliseconds() ?? 0,
            HealthStatus = LastStatus == TaskStatus.Running && Containers.Any(c => c.HealthChecked) ? "HEALTHY" : "UNKNOWN",
        };
        foreach (var container in Containers)
        {
            var report = new ContainerState
            {
                Name = container.Name,
                RuntimeId = container.RuntimeId,
                LastStatus = LastStatus switch
                {
                    TaskStatus.Running => ContainerStatus.Running,
                    TaskStatus.Stopped => ContainerStatus.Stopped,
                    _ => ContainerStatus.Pending,
                },
                HealthStatus = container.HealthChecked && LastStatus == TaskStatus.Running ? "HEALTHY" : "",
            };
            if (LastStatus == TaskStatus.Stopped && StartedAt is not null)
            {
                report.ExitCode = ExitCode;
            }
            state.Containers.Add(report);
        }
        return state;
    }
}
