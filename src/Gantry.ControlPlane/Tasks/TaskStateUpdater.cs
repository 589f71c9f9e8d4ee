using Gantry.Agent.Protocol;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Usage;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// Applies what agents report to the stored tasks. Statuses only move forward; reaching RUNNING moves the task
/// from the pending to the running counters, reaching STOPPED releases its resources on the instance and its network
/// interface (awsvpc) and records what the task cost in the usage ledger — each in the same commit as the task.
/// </summary>
public sealed class TaskStateUpdater(Documents documents, TimeProvider time)
{
    // Task transitions also move their instance's counters, a hot document while many of its tasks change at once.
    private const int MaxAttempts = 64;

    /// <summary>
    /// Applies a report from the agent of <paramref name="agentArns"/> (its container instance and pool node): only a
    /// task placed there changes; a report about another instance's task is not applied.
    /// </summary>
    public async Task<ReportOutcome> ApplyAsync(TaskState report, IReadOnlyCollection<string> agentArns, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(agentArns);
        if (!EcsArn.TryParseTask(report.TaskArn, out var cluster, out var id))
        {
            return ReportOutcome.UnknownTask;
        }
        for (var attempt = 1; ; attempt++)
        {
            var stored = await documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, id), ct).ConfigureAwait(false);
            if (stored is null)
            {
                return ReportOutcome.UnknownTask;
            }
            var record = stored.Value;
            if (!agentArns.Contains(record.AgentArn))
            {
                return ReportOutcome.OtherInstance;
            }
            var task = Merge(record.Task, report, record.Definition.NetworkMode == "awsvpc" ? Empty(report.PrivateIpv4) : null, Empty(report.MacAddress));
            var counted = TaskCounter.After(record.Counted, task.LastStatus);
            var ops = new List<WriteOp>();
            if (counted != record.Counted)
            {
                var instanceKey = Kinds.InCluster(record.InstanceCluster, record.InstanceId);
                var instance = await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, instanceKey, ct).ConfigureAwait(false);
                if (instance is not null)
                {
                    ops.Add(documents.Put(Kinds.ContainerInstance, instanceKey, TaskLedger.Move(record.Counted, counted, record.Reservation(), instance.Value), instance.Version));
                }
            }
            var everHealthy = record.EverHealthy || report.HealthStatus == "HEALTHY";
            if (task == record.Task && counted == record.Counted && everHealthy == record.EverHealthy)
            {
                return ReportOutcome.Applied;
            }
            var updated = record with { Task = task with { Version = (task.Version ?? 0) + 1 }, Counted = counted, EverHealthy = everHealthy };
            ops.Add(documents.Put(Kinds.Task, Kinds.InCluster(cluster, id), updated, stored.Version));
            if (UsageLedger.RecordStop(documents, record, updated, time.GetUtcNow()) is { } usage)
            {
                ops.Add(usage);
            }
            if (record.Interface is { } eni && task.LastStatus == TaskStatus.Stopped && record.Task.LastStatus != TaskStatus.Stopped)
            {
                ops.AddRange(Networks.InterfaceAllocation.Release(eni));
            }
            try
            {
                await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
                return ReportOutcome.Applied;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <param name="eniAddress">The task's own address when it runs in awsvpc mode (shown as its network interface).</param>
    /// <param name="macAddress">The MAC address of that interface.</param>
    private EcsTask Merge(EcsTask task, TaskState report, string? eniAddress, string? macAddress)
    {
        var status = TaskStatus.Forward(task.LastStatus ?? TaskStatus.Provisioning, report.LastStatus);
        var stopped = status == TaskStatus.Stopped;
        return task with
        {
            LastStatus = status,
            DesiredStatus = stopped ? TaskStatus.Stopped : task.DesiredStatus,
            PullStartedAt = task.PullStartedAt ?? FromMs(report.PullStartedAtMs),
            PullStoppedAt = task.PullStoppedAt ?? FromMs(report.PullStoppedAtMs),
            StartedAt = task.StartedAt ?? FromMs(report.StartedAtMs),
            ExecutionStoppedAt = task.ExecutionStoppedAt ?? FromMs(report.ExecutionStoppedAtMs),
            StoppingAt = task.StoppingAt ?? (TaskStatus.IsStopping(status) ? time.GetUtcNow() : null),
            StoppedAt = task.StoppedAt ?? (stopped ? time.GetUtcNow() : null),
            StopCode = task.StopCode ?? Empty(report.StopCode),
            HealthStatus = Empty(report.HealthStatus) ?? task.HealthStatus,
            StoppedReason = task.StoppedReason ?? Empty(report.StoppedReason),
            Containers = [.. (task.Containers ?? []).Select(c => report.Containers.FirstOrDefault(r => r.Name == c.Name) is { } r ? c with
            {
                LastStatus = ContainerStatus.Forward(c.LastStatus ?? ContainerStatus.Pending, r.LastStatus),
                ExitCode = r.HasExitCode ? r.ExitCode : c.ExitCode,
                Reason = Empty(r.Reason) ?? c.Reason,
                RuntimeId = Empty(r.RuntimeId) ?? c.RuntimeId,
                HealthStatus = Empty(r.HealthStatus) ?? c.HealthStatus,
                ImageDigest = Empty(r.ImageDigest) ?? c.ImageDigest,
                NetworkBindings = r.NetworkBindings.Count == 0 ? c.NetworkBindings : [.. r.NetworkBindings.Select(b => new Domain.Ecs.NetworkBinding
                {
                    BindIP = b.BindIp,
                    ContainerPort = b.ContainerPort,
                    HostPort = b.HostPort,
                    Protocol = b.Protocol,
                })],
                NetworkInterfaces = eniAddress is null || c.NetworkInterfaces is { Count: > 0 } ? c.NetworkInterfaces
                    : [new NetworkInterface { AttachmentId = AttachmentId(task), PrivateIpv4Address = eniAddress }],
            } : c)],
            Attachments = eniAddress is null ? task.Attachments : TaskAttachments.Attached(task.Attachments, eniAddress, macAddress, task.TaskArn!),
        };
    }

    private static string AttachmentId(EcsTask task) => TaskAttachments.AttachmentId(task.TaskArn!);

    private static DateTimeOffset? FromMs(long ms) => ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static string? Empty(string value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>What became of an agent's task report.</summary>
public enum ReportOutcome
{
    Applied,
    /// <summary>The control plane does not know the task.</summary>
    UnknownTask,
    /// <summary>The task runs on another container instance: the report is ignored.</summary>
    OtherInstance,
}
