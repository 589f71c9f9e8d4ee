using System.Text.Json;
using Gantry.Agent.MetadataEndpoint;
using Microsoft.Extensions.Time.Testing;

namespace Gantry.Agent.Tests.MetadataEndpoint;

public sealed class CgroupStatsTests : IDisposable
{
    private readonly FakeCgroups _cgroups = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _cgroups.Dispose();

    private static JsonElement Json(object document) => JsonDocument.Parse(JsonSerializer.Serialize(document, MetadataService.Json)).RootElement;

    [Fact]
    public void Cgroup_v1_files_map_to_docker_stats()
    {
        var sample = new CgroupStatsReader(_cgroups.ProcRoot).Read(_cgroups.StateFile, ownNetwork: true, _time.GetUtcNow())!;
        var stats = Json(sample.ToDocker(null, "app", "c1"));

        var cpu = stats.GetProperty("cpu_stats");
        Assert.Equal(5_000_000_000UL, cpu.GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.Equal([3_000_000_000UL, 2_000_000_000UL], cpu.GetProperty("cpu_usage").GetProperty("percpu_usage").EnumerateArray().Select(e => e.GetUInt64()));
        Assert.Equal(1_500_000_000UL, cpu.GetProperty("cpu_usage").GetProperty("usage_in_kernelmode").GetUInt64()); // 150 ticks of 10 ms
        Assert.Equal(3_000_000_000UL, cpu.GetProperty("cpu_usage").GetProperty("usage_in_usermode").GetUInt64());
        Assert.Equal((100UL + 5 + 50 + 1000 + 10 + 1 + 2) * 10_000_000, cpu.GetProperty("system_cpu_usage").GetUInt64()); // steal not counted, as Docker
        Assert.Equal(2U, cpu.GetProperty("online_cpus").GetUInt32());
        Assert.Equal(2UL, cpu.GetProperty("throttling_data").GetProperty("throttled_periods").GetUInt64());
        Assert.Equal(777UL, cpu.GetProperty("throttling_data").GetProperty("throttled_time").GetUInt64());

        var memory = stats.GetProperty("memory_stats");
        Assert.Equal(10485760UL, memory.GetProperty("usage").GetUInt64());
        Assert.Equal(20971520UL, memory.GetProperty("max_usage").GetUInt64());
        Assert.Equal(67108864UL, memory.GetProperty("limit").GetUInt64());
        Assert.Equal(1UL, memory.GetProperty("failcnt").GetUInt64());
        Assert.Equal(8192UL, memory.GetProperty("stats").GetProperty("rss").GetUInt64());

        var bytes = stats.GetProperty("blkio_stats").GetProperty("io_service_bytes_recursive").EnumerateArray().ToList();
        Assert.Equal(["Read", "Write", "Sync", "Async", "Total"], bytes.Select(e => e.GetProperty("op").GetString()));
        Assert.Equal(8UL, bytes[0].GetProperty("major").GetUInt64());
        Assert.Equal(4096UL, bytes[0].GetProperty("value").GetUInt64());
        Assert.Equal(2, stats.GetProperty("blkio_stats").GetProperty("io_serviced_recursive").GetArrayLength());
        Assert.Equal(0, stats.GetProperty("blkio_stats").GetProperty("sectors_recursive").GetArrayLength());

        Assert.Equal(3UL, stats.GetProperty("pids_stats").GetProperty("current").GetUInt64());
        Assert.Equal(4096UL, stats.GetProperty("pids_stats").GetProperty("limit").GetUInt64());
        var networks = stats.GetProperty("networks");
        Assert.Equal(["eth0"], networks.EnumerateObject().Select(p => p.Name)); // loopback left out
        Assert.Equal(1000UL, networks.GetProperty("eth0").GetProperty("rx_bytes").GetUInt64());
        Assert.Equal(2UL, networks.GetProperty("eth0").GetProperty("rx_dropped").GetUInt64());
        Assert.Equal(2000UL, networks.GetProperty("eth0").GetProperty("tx_bytes").GetUInt64());
        Assert.Equal(4UL, networks.GetProperty("eth0").GetProperty("tx_dropped").GetUInt64());

        Assert.Equal("2026-12-05T10:00:00Z", stats.GetProperty("read").GetString());
        Assert.Equal("0001-01-01T00:00:00Z", stats.GetProperty("preread").GetString());
        Assert.Equal(0UL, stats.GetProperty("precpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.Equal("app", stats.GetProperty("name").GetString());
        Assert.Equal("c1", stats.GetProperty("id").GetString());
        Assert.Equal(0, stats.GetProperty("num_procs").GetInt32());
    }

    [Fact]
    public void Unlimited_memory_reports_the_node_memory_and_no_pids_limit()
    {
        _cgroups.Write("memory", "memory.limit_in_bytes", "9223372036854771712\n");
        _cgroups.Write("pids", "pids.max", "max\n");

        var sample = new CgroupStatsReader(_cgroups.ProcRoot).Read(_cgroups.StateFile, ownNetwork: false, _time.GetUtcNow())!;
        var stats = Json(sample.ToDocker(null, "app", "c1"));

        Assert.Equal(8_000_000UL * 1024, stats.GetProperty("memory_stats").GetProperty("limit").GetUInt64());
        Assert.False(stats.GetProperty("pids_stats").TryGetProperty("limit", out _));
        Assert.False(stats.TryGetProperty("networks", out _)); // host network: the node's interfaces are not the task's
    }

    [Fact]
    public void A_container_runc_no_longer_knows_has_no_stats()
    {
        Assert.Null(new CgroupStatsReader(_cgroups.ProcRoot).Read(Path.Combine(_cgroups.ProcRoot, "missing.json"), true, _time.GetUtcNow()));
    }

    [Fact]
    public void Precpu_stats_hold_the_previous_sample_and_the_network_rate_is_between_them()
    {
        var sampler = new StatsSampler(new CgroupStatsReader(_cgroups.ProcRoot), _ => _cgroups.StateFile, _time);
        var (first, none) = sampler.Get("c1", ownNetwork: true)!.Value;
        Assert.Null(none);

        _cgroups.Write("cpuacct", "cpuacct.usage", "7000000000\n");
        _cgroups.NetDev(21000, 2000);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Same(first, sampler.Get("c1", ownNetwork: true)!.Value.Latest); // fresh: served as it is

        _time.Advance(TimeSpan.FromSeconds(9.5));
        var (latest, previous) = sampler.Get("c1", ownNetwork: true)!.Value;
        var stats = Json(latest.ToDocker(previous, "app", "c1"));

        Assert.Same(first, previous);
        Assert.Equal(7_000_000_000UL, stats.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.Equal(5_000_000_000UL, stats.GetProperty("precpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.Equal("2026-12-05T10:00:00Z", stats.GetProperty("preread").GetString());
        Assert.Equal("2026-12-05T10:00:10Z", stats.GetProperty("read").GetString());
        Assert.Equal(2000.0, stats.GetProperty("network_rate_stats").GetProperty("rx_bytes_per_sec").GetDouble()); // 20000 bytes in 10 s
        Assert.Equal(0.0, stats.GetProperty("network_rate_stats").GetProperty("tx_bytes_per_sec").GetDouble());
    }

    [Fact]
    public async Task Background_sampling_forgets_containers_that_stopped()
    {
        var sampler = new StatsSampler(new CgroupStatsReader(_cgroups.ProcRoot), _ => _cgroups.StateFile, _time);
        sampler.Get("gone", ownNetwork: false);
        sampler.Get("gone too", ownNetwork: false);
        IReadOnlyList<(string, bool)> running = [("c1", true)];
        using var stop = new CancellationTokenSource();
        var loop = sampler.RunAsync(() => running, stop.Token);

        _time.Advance(StatsSampler.Interval);
        await WaitAsync(() => sampler.Count == 1);
        running = [];
        _time.Advance(StatsSampler.Interval);
        await WaitAsync(() => sampler.Count == 0);

        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
