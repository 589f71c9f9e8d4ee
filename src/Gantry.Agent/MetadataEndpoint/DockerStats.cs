using System.Text.Json.Serialization;

namespace Gantry.Agent.MetadataEndpoint;

// Docker Engine API v1.30's ContainerStats (what `GET /containers/{id}/stats` answers on cgroup v1), which the task
// metadata endpoint serves at /stats, plus ECS's network_rate_stats.

/// <summary>One container's stats: this sample and, in the <c>pre</c> members, the one before it.</summary>
public sealed record ContainerStats
{
    [JsonPropertyName("read")] public required string Read { get; init; }
    [JsonPropertyName("preread")] public required string PreRead { get; init; }
    [JsonPropertyName("pids_stats")] public required PidsStats PidsStats { get; init; }
    [JsonPropertyName("blkio_stats")] public required BlkioStats BlkioStats { get; init; }
    [JsonPropertyName("num_procs")] public int NumProcs { get; init; }
    [JsonPropertyName("storage_stats")] public StorageStats StorageStats { get; init; } = new();
    [JsonPropertyName("cpu_stats")] public required CpuStats CpuStats { get; init; }
    [JsonPropertyName("precpu_stats")] public required CpuStats PreCpuStats { get; init; }
    [JsonPropertyName("memory_stats")] public required MemoryStats MemoryStats { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("networks")] public IReadOnlyDictionary<string, NetworkStats>? Networks { get; init; }
    [JsonPropertyName("network_rate_stats")] public NetworkRateStats? NetworkRateStats { get; init; }
}

public sealed record PidsStats([property: JsonPropertyName("current")] ulong Current, [property: JsonPropertyName("limit")] ulong? Limit);

public sealed record StorageStats;

public sealed record BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")] public IReadOnlyList<BlkioEntry> IoServiceBytesRecursive { get; init; } = [];
    [JsonPropertyName("io_serviced_recursive")] public IReadOnlyList<BlkioEntry> IoServicedRecursive { get; init; } = [];
    [JsonPropertyName("io_queue_recursive")] public IReadOnlyList<BlkioEntry> IoQueueRecursive { get; init; } = [];
    [JsonPropertyName("io_service_time_recursive")] public IReadOnlyList<BlkioEntry> IoServiceTimeRecursive { get; init; } = [];
    [JsonPropertyName("io_wait_time_recursive")] public IReadOnlyList<BlkioEntry> IoWaitTimeRecursive { get; init; } = [];
    [JsonPropertyName("io_merged_recursive")] public IReadOnlyList<BlkioEntry> IoMergedRecursive { get; init; } = [];
    [JsonPropertyName("io_time_recursive")] public IReadOnlyList<BlkioEntry> IoTimeRecursive { get; init; } = [];
    [JsonPropertyName("sectors_recursive")] public IReadOnlyList<BlkioEntry> SectorsRecursive { get; init; } = [];
}

public sealed record BlkioEntry(
    [property: JsonPropertyName("major")] ulong Major,
    [property: JsonPropertyName("minor")] ulong Minor,
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("value")] ulong Value);

public sealed record CpuStats
{
    /// <summary>Docker's zero value: what <c>precpu_stats</c> holds before a first sample.</summary>
    public static CpuStats Empty { get; } = new() { CpuUsage = new CpuUsage(0, null, 0, 0), ThrottlingData = new ThrottlingData(0, 0, 0) };

    [JsonPropertyName("cpu_usage")] public required CpuUsage CpuUsage { get; init; }
    [JsonPropertyName("system_cpu_usage")] public ulong? SystemCpuUsage { get; init; }
    [JsonPropertyName("online_cpus")] public uint? OnlineCpus { get; init; }
    [JsonPropertyName("throttling_data")] public required ThrottlingData ThrottlingData { get; init; }
}

/// <summary>Nanoseconds of CPU time: in total, per CPU, in kernel and in user mode.</summary>
public sealed record CpuUsage(
    [property: JsonPropertyName("total_usage")] ulong TotalUsage,
    [property: JsonPropertyName("percpu_usage")] IReadOnlyList<ulong>? PercpuUsage,
    [property: JsonPropertyName("usage_in_kernelmode")] ulong UsageInKernelmode,
    [property: JsonPropertyName("usage_in_usermode")] ulong UsageInUsermode);

public sealed record ThrottlingData(
    [property: JsonPropertyName("periods")] ulong Periods,
    [property: JsonPropertyName("throttled_periods")] ulong ThrottledPeriods,
    [property: JsonPropertyName("throttled_time")] ulong ThrottledTime);

public sealed record MemoryStats(
    [property: JsonPropertyName("usage")] ulong Usage,
    [property: JsonPropertyName("max_usage")] ulong MaxUsage,
    [property: JsonPropertyName("stats")] IReadOnlyDictionary<string, ulong> Stats,
    [property: JsonPropertyName("failcnt")] ulong Failcnt,
    [property: JsonPropertyName("limit")] ulong Limit);

public sealed record NetworkStats(
    [property: JsonPropertyName("rx_bytes")] ulong RxBytes,
    [property: JsonPropertyName("rx_packets")] ulong RxPackets,
    [property: JsonPropertyName("rx_errors")] ulong RxErrors,
    [property: JsonPropertyName("rx_dropped")] ulong RxDropped,
    [property: JsonPropertyName("tx_bytes")] ulong TxBytes,
    [property: JsonPropertyName("tx_packets")] ulong TxPackets,
    [property: JsonPropertyName("tx_errors")] ulong TxErrors,
    [property: JsonPropertyName("tx_dropped")] ulong TxDropped);

public sealed record NetworkRateStats(
    [property: JsonPropertyName("rx_bytes_per_sec")] double RxBytesPerSec,
    [property: JsonPropertyName("tx_bytes_per_sec")] double TxBytesPerSec);

/// <summary>What one reading of a container's cgroups and network namespace found.</summary>
public sealed record StatsSample(DateTimeOffset Read, CpuStats Cpu, MemoryStats Memory, BlkioStats Blkio, PidsStats Pids, IReadOnlyDictionary<string, NetworkStats>? Networks)
{
    /// <summary>The Docker document: this sample, <paramref name="previous"/> as <c>precpu_stats</c>/<c>preread</c>, the network rate between them.</summary>
    public ContainerStats ToDocker(StatsSample? previous, string name, string id)
    {
        NetworkRateStats? rate = null;
        if (Networks is not null)
        {
            var seconds = previous is null ? 0 : (Read - previous.Read).TotalSeconds;
            rate = seconds > 0 && previous!.Networks is { } before
                ? new NetworkRateStats(Rate(Networks, before, n => n.RxBytes, seconds), Rate(Networks, before, n => n.TxBytes, seconds))
                : new NetworkRateStats(0, 0);
        }
        return new ContainerStats
        {
            Read = MetadataDocuments.Timestamp(Read)!,
            PreRead = MetadataDocuments.Timestamp(previous?.Read ?? DateTimeOffset.MinValue)!,
            PidsStats = Pids,
            BlkioStats = Blkio,
            CpuStats = Cpu,
            PreCpuStats = previous?.Cpu ?? CpuStats.Empty,
            MemoryStats = Memory,
            Name = name,
            Id = id,
            Networks = Networks,
            NetworkRateStats = rate,
        };
    }

    private static double Rate(IReadOnlyDictionary<string, NetworkStats> now, IReadOnlyDictionary<string, NetworkStats> before, Func<NetworkStats, ulong> bytes, double seconds)
    {
        var delta = 0d;
        foreach (var (name, stats) in now)
        {
            var was = before.TryGetValue(name, out var b) ? bytes(b) : 0;
            delta += bytes(stats) >= was ? bytes(stats) - was : 0;
        }
        return delta / seconds;
    }
}
