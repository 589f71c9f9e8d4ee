using System.Text.Json.Serialization;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Retention;

/// <summary>
/// Forgets stopped tasks as ECS does: a task STOPPED for longer than <see cref="Retention"/> (ECS keeps them describable
/// for at least an hour) is deleted, with its RunTask client token once none of the token's tasks is left; DescribeTasks
/// then answers MISSING. Its usage record stays (it is the bill). A stopped task the service controller still reasons
/// about is kept: one of a deployment still IN_PROGRESS (the circuit breaker counts its failures) or still registered
/// in its service's target groups. Tasks are read a page at a time through a slim view (not the whole record) and
/// deleted <see cref="BatchSize"/> per commit against the versions read, so a task changed meanwhile is left for the
/// next pass.
/// </summary>
public sealed partial class StoppedTaskPurger(Documents documents, TimeProvider time, ILogger<StoppedTaskPurger> logger)
{
    /// <summary>How long a stopped task stays describable by default (ECS: at least an hour).</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromHours(1);

    /// <summary>How often stopped tasks are looked at: one leaves within this of its retention's end.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMinutes(1);

    /// <summary>Tasks deleted per commit.</summary>
    public const int BatchSize = 200;

    public TimeSpan Retention { get; init; } = DefaultRetention;

    /// <summary>Purges every <paramref name="interval"/> until cancelled; a failed pass is logged and the next one runs.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var purged = await PurgeAsync(ct).ConfigureAwait(false);
                if (purged > 0)
                {
                    LogPurged(logger, purged, Retention);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes every task stopped for longer than <see cref="Retention"/> that nothing still needs; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var stoppedBefore = time.GetUtcNow() - Retention;
        var purged = 0;
        var batch = new List<Versioned<StoppedTaskView>>(BatchSize);
        string? cluster = null;
        var kept = KeptTasks.None;
        await foreach (var stored in documents.EnumerateAsync<StoppedTaskView>(Kinds.Task, null, null, ct).ConfigureAwait(false))
        {
            var task = stored.Value;
            if (task.Task.LastStatus != TaskStatus.Stopped || task.Counted != TaskCounter.None || task.Task.StoppedAt is not { } stoppedAt || stoppedAt > stoppedBefore)
            {
                continue;
            }
            if (task.Cluster != cluster)
            {
                cluster = task.Cluster;
                kept = await KeptTasks.ReadAsync(documents, cluster, ct).ConfigureAwait(false);
            }
            if (kept.Keeps(task.Id, task.Task.StartedBy))
            {
                continue;
            }
            batch.Add(stored);
            if (batch.Count == BatchSize)
            {
                purged += await DeleteAsync(batch, ct).ConfigureAwait(false);
                batch.Clear();
            }
        }
        return batch.Count == 0 ? purged : purged + await DeleteAsync(batch, ct).ConfigureAwait(false);
    }

    private async Task<int> DeleteAsync(List<Versioned<StoppedTaskView>> batch, CancellationToken ct)
    {
        var ops = new List<WriteOp>(batch.Count);
        ops.AddRange(batch.Select(t => new DeleteOp(Kinds.Task, Kinds.InCluster(t.Value.Cluster, t.Value.Id), t.Version)));
        var leaving = batch.Select(t => t.Value.Task.TaskArn!).ToHashSet(StringComparer.Ordinal);
        foreach (var (cluster, token) in batch.Where(t => t.Value.ClientToken is not null).Select(t => (t.Value.Cluster, t.Value.ClientToken!)).Distinct())
        {
            var key = Kinds.InCluster(cluster, token);
            if (await documents.GetAsync<List<string>>(Kinds.TaskClientToken, key, ct).ConfigureAwait(false) is not { } launched)
            {
                continue;
            }
            if (await AllGoneAsync(cluster, launched.Value, leaving, ct).ConfigureAwait(false))
            {
                ops.Add(new DeleteOp(Kinds.TaskClientToken, key, launched.Version));
            }
        }
        try
        {
            await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
            return batch.Count;
        }
        catch (ConcurrencyConflictException e)
        {
            LogConflict(logger, e.Kind, e.Key);
            return 0; // changed meanwhile (or this replica no longer leads): the next pass reads it again
        }
    }

    /// <summary>Whether every task a client token launched is leaving now or already gone.</summary>
    private async Task<bool> AllGoneAsync(string cluster, IReadOnlyList<string> taskArns, HashSet<string> leaving, CancellationToken ct)
    {
        foreach (var arn in taskArns.Where(a => !leaving.Contains(a)))
        {
            if (await documents.Store.GetAsync(Kinds.Task, Kinds.InCluster(cluster, EcsArns.TaskId(arn)), ct).ConfigureAwait(false) is not null)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>What the purge reads of a stored <see cref="Tasks.TaskRecord"/> (same member names, the rest skipped).</summary>
    internal sealed record StoppedTaskView(StoppedTaskFields Task, string Cluster, string? ClientToken, string Counted = TaskCounter.Pending)
    {
        public string Id => EcsArns.TaskId(Task.TaskArn!);
    }

    /// <summary>The members of <see cref="EcsTask"/> the purge needs, under their wire names.</summary>
    internal sealed record StoppedTaskFields
    {
        [JsonPropertyName("taskArn")]
        public string? TaskArn { get; init; }

        [JsonPropertyName("lastStatus")]
        public string? LastStatus { get; init; }

        [JsonPropertyName("stoppedAt")]
        public DateTimeOffset? StoppedAt { get; init; }

        [JsonPropertyName("startedBy")]
        public string? StartedBy { get; init; }
    }

    /// <summary>The stopped tasks of one cluster the service controller still needs.</summary>
    private sealed record KeptTasks(HashSet<string> Deployments, HashSet<string> Registered)
    {
        public static readonly KeptTasks None = new([], []);

        public bool Keeps(string taskId, string? startedBy) => Registered.Contains(taskId) || (startedBy is not null && Deployments.Contains(startedBy));

        public static async Task<KeptTasks> ReadAsync(Documents documents, string cluster, CancellationToken ct)
        {
            var kept = new KeptTasks(new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
            await foreach (var service in documents.EnumerateAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(cluster), null, ct).ConfigureAwait(false))
            {
                kept.Deployments.UnionWith(service.Value.AllDeployments.Where(d => d.RolloutState == DeploymentRolloutStateValues.IN_PROGRESS).Select(d => d.Id!));
                kept.Registered.UnionWith((service.Value.Targets ?? new Dictionary<string, LoadBalancing.TaskTargets>()).Where(t => t.Value.Registered).Select(t => t.Key));
            }
            return kept;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} tasks stopped for longer than {Retention}")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purging stopped tasks met a concurrent change of {Kind}/{Key}; the next pass tries again")]
    private static partial void LogConflict(ILogger logger, string kind, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging stopped tasks failed; trying again on the next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
