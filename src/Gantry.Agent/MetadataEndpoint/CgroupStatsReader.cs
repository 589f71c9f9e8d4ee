using System.Globalization;
using System.Text.Json;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>
/// Reads a container's stats as Docker does on cgroup v1: CPU from <c>cpuacct</c> (and throttling from <c>cpu</c>),
/// memory from <c>memory</c>, block I/O from <c>blkio</c>, processes from <c>pids</c>; the node's CPU time from
/// <c>/proc/stat</c>; network counters from <c>/proc/&lt;init pid&gt;/net/dev</c>, which shows the interfaces of the
/// container's (the task's) network namespace. The container's cgroups and init pid come from runc's state file, so
/// the reader follows wherever runc put them.
/// </summary>
/// <param name="procRoot"><c>/proc</c>, or a directory laid out like it (tests).</param>
public sealed class CgroupStatsReader(string procRoot = "/proc")
{
    /// <summary>Linux's USER_HZ: the unit of cpuacct.stat and /proc/stat.</summary>
    private const ulong ClockTicksPerSecond = 100;
    private const ulong NanosecondsPerTick = 1_000_000_000 / ClockTicksPerSecond;

    /// <summary>A sample of the container runc describes in <paramref name="runcStateFile"/>; null when runc no longer knows it.</summary>
    /// <param name="ownNetwork">Whether the container has a network namespace of its own (not the node's), whose counters to report.</param>
    public StatsSample? Read(string runcStateFile, bool ownNetwork, DateTimeOffset now)
    {
        if (!TryReadState(runcStateFile, out var cgroups, out var pid))
        {
            return null;
        }
        string? Dir(string controller) => cgroups.TryGetValue(controller, out var path) && Directory.Exists(path) ? path : null;
        var cpuacct = Dir("cpuacct");
        var cpu = Dir("cpu");
        var memory = Dir("memory");
        var blkio = Dir("blkio");
        var pids = Dir("pids");
        var (system, online) = SystemCpu();
        var ticks = KeyValues(cpuacct, "cpuacct.stat");
        var throttling = KeyValues(cpu, "cpu.stat");
        var cpuStats = new CpuStats
        {
            CpuUsage = new CpuUsage(
                Number(cpuacct, "cpuacct.usage"),
                Text(cpuacct, "cpuacct.usage_percpu")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseNumber).ToList(),
                ticks.GetValueOrDefault("system") * NanosecondsPerTick,
                ticks.GetValueOrDefault("user") * NanosecondsPerTick),
            SystemCpuUsage = system,
            OnlineCpus = online,
            ThrottlingData = new ThrottlingData(throttling.GetValueOrDefault("nr_periods"), throttling.GetValueOrDefault("nr_throttled"), throttling.GetValueOrDefault("throttled_time")),
        };
        var limit = Number(memory, "memory.limit_in_bytes");
        var hostMemory = KeyValues(procRoot, "meminfo").GetValueOrDefault("MemTotal:") * 1024;
        var memoryStats = new MemoryStats(Number(memory, "memory.usage_in_bytes"), Number(memory, "memory.max_usage_in_bytes"), KeyValues(memory, "memory.stat"),
            Number(memory, "memory.failcnt"), hostMemory > 0 && (limit == 0 || limit > hostMemory) ? hostMemory : limit);
        var blkioStats = new BlkioStats
        {
            IoServiceBytesRecursive = Blkio(blkio, "blkio.io_service_bytes_recursive", "blkio.throttle.io_service_bytes"),
            IoServicedRecursive = Blkio(blkio, "blkio.io_serviced_recursive", "blkio.throttle.io_serviced"),
        };
        var pidsMax = Text(pids, "pids.max");
        var pidsStats = new PidsStats(Number(pids, "pids.current"), pidsMax is null or "max" ? null : ParseNumber(pidsMax));
        return new StatsSample(now, cpuStats, memoryStats, blkioStats, pidsStats, ownNetwork && pid > 0 ? Networks(pid) : null);
    }

    private static bool TryReadState(string file, out Dictionary<string, string> cgroups, out int pid)
    {
        cgroups = new Dictionary<string, string>(StringComparer.Ordinal);
        pid = 0;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (root.TryGetProperty("init_process_pid", out var p) && p.ValueKind == JsonValueKind.Number)
            {
                pid = p.GetInt32();
            }
            if (root.TryGetProperty("cgroup_paths", out var paths) && paths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in paths.EnumerateObject())
                {
                    cgroups[entry.Name] = entry.Value.GetString() ?? "";
                }
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return false; // FileNotFound and DirectoryNotFound are IOExceptions: the container is gone
        }
    }

    /// <summary>The node's CPU time in nanoseconds (user..softirq, as Docker sums it) and its online CPUs.</summary>
    private (ulong? System, uint? Online) SystemCpu()
    {
        var text = Text(procRoot, "stat");
        if (text is null)
        {
            return (null, null);
        }
        ulong? system = null;
        uint online = 0;
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["cpu", ..] && fields.Length >= 8)
            {
                system = fields[1..8].Aggregate(0UL, (sum, f) => sum + ParseNumber(f)) * NanosecondsPerTick;
            }
            else if (fields.Length > 0 && fields[0].StartsWith("cpu", StringComparison.Ordinal))
            {
                online++;
            }
        }
        return (system, online > 0 ? online : null);
    }

    /// <summary>The interfaces of the namespace the process is in, but loopback (as Docker reports them).</summary>
    private Dictionary<string, NetworkStats>? Networks(int pid)
    {
        var text = Text(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "net"), "dev");
        if (text is null)
        {
            return null;
        }
        var networks = new Dictionary<string, NetworkStats>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Skip(2))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var name = line[..colon].Trim();
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ParseNumber).ToArray();
            if (name == "lo" || f.Length < 12)
            {
                continue;
            }
            // Receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets errs drop ...
            networks[name] = new NetworkStats(f[0], f[1], f[2], f[3], f[8], f[9], f[10], f[11]);
        }
        return networks;
    }

    /// <summary>blkio entries from the first file that has any (the CFQ file, else the throttle file); the Total lines left out.</summary>
    private static List<BlkioEntry> Blkio(string? directory, params string[] files)
    {
        foreach (var file in files)
        {
            var entries = new List<BlkioEntry>();
            foreach (var line in (Text(directory, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 4)
                {
                    entries.Add(new BlkioEntry(ParseNumber(fields[0]), ParseNumber(fields[1]), fields[2], ParseNumber(fields[3])));
                }
            }
            if (entries.Count > 0)
            {
                return entries;
            }
        }
        return [];
    }

    /// <summary>"name value" lines (memory.stat, cpu.stat, cpuacct.stat, meminfo).</summary>
    private static Dictionary<string, ulong> KeyValues(string? directory, string file)
    {
        var values = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in (Text(directory, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2)
            {
                values[fields[0]] = ParseNumber(fields[1]);
            }
        }
        return values;
    }

    private static ulong Number(string? directory, string file) => Text(directory, file) is { } text ? ParseNumber(text) : 0;

    private static ulong ParseNumber(string text) => ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static string? Text(string? directory, string file)
    {
        if (directory is null)
        {
            return null;
        }
        try
        {
            return File.ReadAllText(Path.Combine(directory, file)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
