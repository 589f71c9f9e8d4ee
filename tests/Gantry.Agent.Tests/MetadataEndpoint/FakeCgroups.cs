using System.Text.Json;

namespace Gantry.Agent.Tests.MetadataEndpoint;

/// <summary>A container's cgroup v1 files, a /proc with stat, meminfo and the init process's net/dev, and runc's state file pointing at them.</summary>
internal sealed class FakeCgroups : IDisposable
{
    public const int Pid = 4242;
    private readonly string _root = Directory.CreateTempSubdirectory("gantry-cgroups-").FullName;

    public FakeCgroups()
    {
        var cgroups = new[] { "cpu", "cpuacct", "memory", "blkio", "pids" }.ToDictionary(c => c, c => Path.Combine(_root, "sys", c, "gantry", "c1"));
        foreach (var directory in cgroups.Values)
        {
            Directory.CreateDirectory(directory);
        }
        Directory.CreateDirectory(Path.Combine(ProcRoot, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "net"));
        File.WriteAllText(StateFile, JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = "c1", ["init_process_pid"] = Pid, ["cgroup_paths"] = cgroups }));
        Write("cpuacct", "cpuacct.usage", "5000000000\n");
        Write("cpuacct", "cpuacct.usage_percpu", "3000000000 2000000000 \n");
        Write("cpuacct", "cpuacct.stat", "user 300\nsystem 150\n");
        Write("cpu", "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 777\n");
        Write("memory", "memory.usage_in_bytes", "10485760\n");
        Write("memory", "memory.max_usage_in_bytes", "20971520\n");
        Write("memory", "memory.limit_in_bytes", "67108864\n");
        Write("memory", "memory.failcnt", "1\n");
        Write("memory", "memory.stat", "cache 4096\nrss 8192\ntotal_rss 8192\n");
        Write("blkio", "blkio.throttle.io_service_bytes", "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\nTotal 12288\n");
        Write("blkio", "blkio.throttle.io_serviced", "8:0 Read 1\n8:0 Write 2\nTotal 3\n");
        Write("blkio", "blkio.io_service_bytes_recursive", "Total 0\n");
        Write("pids", "pids.current", "3\n");
        Write("pids", "pids.max", "4096\n");
        File.WriteAllText(Path.Combine(ProcRoot, "stat"), "cpu  100 5 50 1000 10 1 2 3 0 0\ncpu0 50 2 25 500 5 0 1 1 0 0\ncpu1 50 3 25 500 5 1 1 2 0 0\nintr 1\n");
        File.WriteAllText(Path.Combine(ProcRoot, "meminfo"), "MemTotal:        8000000 kB\nMemFree: 1 kB\n");
        NetDev(1000, 2000);
        Cgroups = cgroups;
    }

    public string ProcRoot => Path.Combine(_root, "proc");
    public string StateFile => Path.Combine(_root, "state.json");
    public IReadOnlyDictionary<string, string> Cgroups { get; }

    public void Write(string controller, string file, string text) =>
        File.WriteAllText(Path.Combine(_root, "sys", controller, "gantry", "c1", file), text);

    public void NetDev(ulong eth0Rx, ulong eth0Tx) => File.WriteAllText(Path.Combine(ProcRoot, $"{Pid}", "net", "dev"),
        "Inter-|   Receive                                                |  Transmit\n" +
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
        "    lo:     500       5    0    0    0     0          0         0      500       5    0    0    0     0       0          0\n" +
        $"  eth0: {eth0Rx,7}      10    1    2    0     0          0         0 {eth0Tx,8}      20    3    4    0     0       0          0\n");

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
