using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Store;

namespace Gantry.ControlPlane.Usage;

/// <summary>How usage is summed: one row per cluster, per service (standalone tasks together) or per task family.</summary>
public enum UsageGrouping
{
    Cluster,
    Service,
    Family,
}

/// <summary>A usage question: the window <c>[Since, Until)</c> (either bound open when null) and the grouping.</summary>
public sealed record UsageQuery(DateTimeOffset? Since, DateTimeOffset? Until, UsageGrouping GroupBy);

/// <param name="Name">The service or family the row is about; null when grouped by cluster, or for standalone tasks by service.</param>
/// <param name="Tasks">Tasks with usage inside the window, of which <paramref name="RunningTasks"/> have not stopped.</param>
public sealed record UsageGroup(string Cluster, string? Name, string LaunchType, int Tasks, int RunningTasks, double VcpuSeconds, double GbSeconds);

public sealed record UsageReport(IReadOnlyList<UsageGroup> Groups, int Tasks, int RunningTasks, double VcpuSeconds, double GbSeconds);

/// <summary>
/// The usage ledger: a <see cref="UsageRecord"/> per stopped task, written by <see cref="TaskStateUpdater"/> in the commit
/// that stores the task as STOPPED, and the sums `gantry usage` shows. Summing streams the store a page at a time: the
/// tasks not yet stopped (counted up to now), then the records of tasks that stopped in or after the window's start
/// (less the one-minute minimum); memory holds one page, the groups, and the ids of the live tasks.
/// </summary>
public sealed class UsageLedger(Documents documents)
{
    /// <summary>How far a billed period can reach past the task's stop: the one-minute minimum (plus rounding).</summary>
    private static readonly TimeSpan BilledPastStop = TimeSpan.FromSeconds(UsageMeter.MinimumSeconds + 1);

    /// <summary>
    /// The write that records a task's cost when <paramref name="after"/> is the change that stops it; null when the task
    /// was already stopped, is not stopping here, or never started pulling (it costs nothing). Keyed by the task and its
    /// stop, in the same commit as the task: a STOPPED reported again finds the task stopped and writes nothing.
    /// </summary>
    public static WriteOp? RecordStop(Documents documents, TaskRecord before, TaskRecord after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!UsageMeter.IsLive(before) || UsageMeter.IsLive(after) || UsageMeter.Measure(after, now) is not { } usage)
        {
            return null;
        }
        return documents.Put(Kinds.Usage, Kinds.UsageKey(usage.Stop, usage.Cluster, EcsArns.TaskId(usage.TaskArn)), usage, expectedVersion: null);
    }

    public async Task<UsageReport> SumAsync(UsageQuery query, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = new Dictionary<(string Cluster, string? Name, string LaunchType), UsageGroup>();
        var live = new HashSet<string>(StringComparer.Ordinal);
        // Live tasks first: one that stops while this runs is then counted here, and its new record skipped below.
        await foreach (var stored in documents.EnumerateAsync<TaskRecord>(Kinds.Task, null, null, ct).ConfigureAwait(false))
        {
            var task = stored.Value;
            if (UsageMeter.IsLive(task) && UsageMeter.Measure(task, now) is { } usage)
            {
                live.Add(usage.TaskArn);
                Add(groups, query, usage, running: true);
            }
        }
        var after = query.Since is { } since && since - DateTimeOffset.MinValue > BilledPastStop ? Kinds.UsageTime(since - BilledPastStop) : null;
        await foreach (var stored in documents.EnumerateAsync<UsageRecord>(Kinds.Usage, null, after, ct).ConfigureAwait(false))
        {
            if (!live.Contains(stored.Value.TaskArn))
            {
                Add(groups, query, stored.Value, running: false);
            }
        }
        var rows = groups.Values.OrderBy(g => g.Cluster, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal)
            .ThenBy(g => g.LaunchType, StringComparer.Ordinal).ToList();
        return new UsageReport(rows, rows.Sum(g => g.Tasks), rows.Sum(g => g.RunningTasks), rows.Sum(g => g.VcpuSeconds), rows.Sum(g => g.GbSeconds));
    }

    private static void Add(Dictionary<(string, string?, string), UsageGroup> groups, UsageQuery query, UsageRecord usage, bool running)
    {
        var seconds = UsageMeter.SecondsInside(usage.BillingStart, usage.BilledSeconds, query.Since, query.Until);
        if (seconds <= 0)
        {
            return;
        }
        var name = query.GroupBy switch
        {
            UsageGrouping.Service => usage.Service,
            UsageGrouping.Family => usage.Family,
            _ => null,
        };
        var key = (usage.Cluster, name, usage.LaunchType);
        var group = groups.GetValueOrDefault(key) ?? new UsageGroup(usage.Cluster, name, usage.LaunchType, 0, 0, 0, 0);
        groups[key] = group with
        {
            Tasks = group.Tasks + 1,
            RunningTasks = group.RunningTasks + (running ? 1 : 0),
            VcpuSeconds = group.VcpuSeconds + (seconds * UsageMeter.Vcpu(usage.Cpu)),
            GbSeconds = group.GbSeconds + (seconds * UsageMeter.Gb(usage.Memory)),
        };
    }
}
