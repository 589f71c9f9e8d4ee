using System.Globalization;

namespace Gantry.Agent.Sandbox;

/// <summary>
/// A task's own cgroup, <c>/gantry/&lt;task id&gt;</c>, parent of its containers' cgroups (runc creates them below it), so
/// the task's limits bind all its containers together while each container's own cpu and memory apply inside them.
/// As ECS's agent sizes it: task cpu is a CFS quota of cpu/1024 × a 100 ms period (a hard cap, not a weight), without
/// task cpu the share is the containers' cpu summed; task memory is a hard limit with no swap beyond it.
/// cgroup v1 (one hierarchy per controller, as on these hosts) and v2 (one unified hierarchy) are both written.
/// </summary>
public sealed class TaskCgroup(string root)
{
    /// <summary>The CFS period, in microseconds (ECS's agent and Docker use the same).</summary>
    public const long PeriodMicros = 100_000;

    private const long MiB = 1024 * 1024;
    private const string Parent = "gantry";

    /// <summary>The cgroup path (relative to each hierarchy's root) of a task's cgroup.</summary>
    public static string PathOf(string taskId) => $"/{Parent}/{taskId}";

    /// <summary>CFS quota in microseconds per period for <paramref name="cpuUnits"/> (1024 units = one CPU's whole period).</summary>
    public static long QuotaMicros(int cpuUnits) => cpuUnits * PeriodMicros / 1024;

    private bool Unified => File.Exists(Path.Combine(root, "cgroup.controllers"));

    /// <summary>Creates the cgroup with the limits (idempotent: an existing one gets the same limits again).</summary>
    public void Create(string taskId, TaskLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            if (Unified)
            {
                CreateUnified(taskId, limits);
            }
            else
            {
                CreateV1(taskId, limits);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SandboxException($"ResourceInitializationError: failed to create the task's cgroup: {e.Message}", e);
        }
    }

    /// <summary>Removes the task's cgroup from every hierarchy (and any container cgroup runc left in it).</summary>
    /// <returns>The directories that could not be removed (processes still in them).</returns>
    public IReadOnlyList<string> Remove(string taskId)
    {
        var left = new List<string>();
        var hierarchies = Unified ? [root] : Directory.EnumerateDirectories(root);
        foreach (var directory in hierarchies.Select(h => Path.Combine(h, Parent, taskId)).Where(Directory.Exists))
        {
            foreach (var child in Directory.EnumerateDirectories(directory).Append(directory))
            {
                try
                {
                    Directory.Delete(child); // rmdir: a cgroup's files are not real, it goes when no process is in it
                }
                catch (IOException)
                {
                    left.Add(child);
                }
            }
        }
        return left;
    }

    private void CreateV1(string taskId, TaskLimits limits)
    {
        var cpu = Directory.CreateDirectory(Path.Combine(root, "cpu", Parent, taskId)).FullName;
        if (limits.CpuUnits is int units)
        {
            Write(cpu, "cpu.cfs_period_us", PeriodMicros);
            Write(cpu, "cpu.cfs_quota_us", QuotaMicros(units));
        }
        else
        {
            Write(cpu, "cpu.shares", (long)limits.Shares);
        }
        if (limits.MemoryMiB is int memory)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, "memory", Parent, taskId)).FullName;
            // The limit first: memory+swap may never be below it. Without swap accounting there is no memsw file.
            Write(dir, "memory.limit_in_bytes", memory * MiB);
            if (File.Exists(Path.Combine(dir, "memory.memsw.limit_in_bytes")))
            {
                Write(dir, "memory.memsw.limit_in_bytes", memory * MiB);
            }
        }
    }

    private void CreateUnified(string taskId, TaskLimits limits)
    {
        var parent = Directory.CreateDirectory(Path.Combine(root, Parent)).FullName;
        var dir = Directory.CreateDirectory(Path.Combine(parent, taskId)).FullName;
        // Controllers reach a cgroup only when every ancestor enables them for its children.
        foreach (var ancestor in new[] { root, parent, dir })
        {
            File.WriteAllText(Path.Combine(ancestor, "cgroup.subtree_control"), "+cpu +memory");
        }
        if (limits.CpuUnits is int units)
        {
            File.WriteAllText(Path.Combine(dir, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{QuotaMicros(units)} {PeriodMicros}"));
        }
        else
        {
            // cgroup v2 weight from v1 shares, as runc converts it.
            Write(dir, "cpu.weight", 1 + ((long)(limits.Shares - 2) * 9999 / 262142));
        }
        if (limits.MemoryMiB is int memory)
        {
            Write(dir, "memory.max", memory * MiB);
            Write(dir, "memory.swap.max", 0);
        }
    }

    private static void Write(string directory, string file, long value) =>
        File.WriteAllText(Path.Combine(directory, file), value.ToString(CultureInfo.InvariantCulture));
}
