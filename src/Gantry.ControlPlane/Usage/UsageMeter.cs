using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Tasks;

namespace Gantry.ControlPlane.Usage;

/// <summary>
/// Fargate's billing arithmetic, pure. A task is billed from the start of its image pull until it stops, rounded up to
/// the whole second, one minute at least, for its vCPU (cpu units / 1024) and GB (memory MiB / 1024). The billed period
/// is <c>[start, start + billed seconds)</c>: the minimum and the rounding sit at its end, so counting a window counts
/// exactly the part of that period inside it, and adjacent windows add up to the whole.
/// </summary>
public static class UsageMeter
{
    public const long MinimumSeconds = 60;

    /// <summary>The group of a task a service started: <c>service:NAME</c>.</summary>
    private const string ServicePrefix = "service:";

    /// <summary>Whole seconds billed for a run from <paramref name="start"/> to <paramref name="stop"/>.</summary>
    public static long BilledSeconds(DateTimeOffset start, DateTimeOffset stop)
    {
        var ticks = Math.Max(0, (stop - start).Ticks);
        var seconds = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
        return Math.Max(MinimumSeconds, seconds);
    }

    /// <summary>
    /// Seconds of the billed period <c>[start, start + billed)</c> inside the window <c>[since, until)</c> (either
    /// bound open when null).
    /// </summary>
    public static double SecondsInside(DateTimeOffset start, long billedSeconds, DateTimeOffset? since, DateTimeOffset? until)
    {
        var end = start + TimeSpan.FromSeconds(billedSeconds);
        var from = since is { } s && s > start ? s : start;
        var to = until is { } u && u < end ? u : end;
        return to > from ? (to - from).TotalSeconds : 0;
    }

    public static double Vcpu(int cpuUnits) => cpuUnits / 1024.0;

    public static double Gb(int memoryMib) => memoryMib / 1024.0;

    /// <summary>When billing starts for a task: its pull, else its start; null when it never got that far (it costs nothing).</summary>
    public static DateTimeOffset? BillingStart(TaskRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Task.PullStartedAt ?? record.Task.StartedAt;
    }

    /// <summary>
    /// What a task cost when it stopped at <paramref name="now"/> (its containers' stop when the agent reported it),
    /// or null when it never started pulling.
    /// </summary>
    public static UsageRecord? Measure(TaskRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (BillingStart(record) is not { } start)
        {
            return null;
        }
        var reported = record.Task.ExecutionStoppedAt ?? record.Task.StoppedAt ?? now;
        var stop = reported < start ? start : reported;
        var billed = BilledSeconds(start, stop);
        var group = record.Task.Group;
        return new UsageRecord(
            record.Task.TaskArn!,
            record.Cluster,
            group is not null && group.StartsWith(ServicePrefix, StringComparison.Ordinal) ? group[ServicePrefix.Length..] : null,
            record.Definition.Family ?? "",
            record.Definition.Revision ?? 0,
            record.Task.LaunchType ?? "EC2",
            record.Task.CapacityProviderName,
            record.Cpu,
            record.Memory,
            start,
            stop,
            billed,
            billed * Vcpu(record.Cpu),
            billed * Gb(record.Memory));
    }

    /// <summary>Whether a task is live for metering: not STOPPED yet (its cost so far is counted up to now).</summary>
    public static bool IsLive(TaskRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Task.LastStatus != TaskStatus.Stopped;
    }
}
