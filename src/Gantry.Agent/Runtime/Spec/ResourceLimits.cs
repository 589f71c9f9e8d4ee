using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Agent.Runtime.Spec;

/// <summary>cgroup limits and rlimits from the definition's cpu, memory, linuxParameters and ulimits.</summary>
internal static class ResourceLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>dockerd refuses memory limits below 6 MiB.</summary>
    private const long MinimumMemoryMiB = 6;

    /// <summary>The cgroup v1 cpu.shares bounds the ECS agent applies (null, 0 and 1 become 2; above 262144 is capped).</summary>
    private const ulong MinimumShares = 2;

    private const ulong MaximumShares = 262144;

    /// <summary>
    /// cpu.shares from <c>cpu</c>; memory limit from <c>memory</c> and soft limit from <c>memoryReservation</c> (MiB to
    /// bytes); memory+swap equal to the limit (no swap) unless <c>linuxParameters.maxSwap</c> adds some, with
    /// <c>swappiness</c> honored only alongside maxSwap (as ECS documents); pids.max from the options.
    /// </summary>
    public static LinuxResources Build(ContainerDefinition definition, RuntimeSpecOptions options, IReadOnlyList<LinuxDeviceCgroup> devices)
    {
        var shares = definition.Cpu is int cpu && cpu > (int)MinimumShares ? Math.Min((ulong)cpu, MaximumShares) : MinimumShares;
        var linux = definition.LinuxParameters;
        if (definition.Memory is < (int)MinimumMemoryMiB)
        {
            throw SpecErrors.CannotStart($"Minimum memory limit allowed is {MinimumMemoryMiB}MB");
        }
        if (definition.MemoryReservation is < 0)
        {
            throw SpecErrors.CannotStart("memoryReservation must not be negative");
        }
        if (definition.Memory is int hard && definition.MemoryReservation is int soft && soft > hard)
        {
            throw SpecErrors.CannotStart("Minimum memory limit can not be less than memory reservation limit");
        }
        var limit = definition.Memory * MiB;
        long? swap = null;
        ulong? swappiness = null;
        if (limit is long bytes)
        {
            swap = bytes;
            if (linux?.MaxSwap is int maxSwap)
            {
                if (maxSwap < 0)
                {
                    throw SpecErrors.CannotStart($"maxSwap must not be negative, got {maxSwap}");
                }
                swap = bytes + (maxSwap * MiB);
                swappiness = linux.Swappiness switch
                {
                    null => null,
                    >= 0 and <= 100 and var s => (ulong)s,
                    var s => throw SpecErrors.CannotStart($"swappiness must be between 0 and 100, got {s}"),
                };
            }
        }
        return new LinuxResources
        {
            Devices = devices,
            Memory = limit is null && definition.MemoryReservation is null
                ? null
                : new LinuxMemory { Limit = limit, Reservation = definition.MemoryReservation * MiB, Swap = swap, Swappiness = swappiness },
            Cpu = new LinuxCpu { Shares = shares },
            Pids = new LinuxPids { Limit = options.PidsLimit },
        };
    }

    /// <summary>
    /// One rlimit per definition ulimit (<c>-1</c> means unlimited), then RLIMIT_NOFILE's default when not given. A
    /// hard limit above the host's ceiling for that ulimit is refused: runc would fail with EPERM anyway.
    /// </summary>
    public static IReadOnlyList<SpecRlimit> Rlimits(ContainerDefinition definition, RuntimeSpecOptions options)
    {
        var result = new List<SpecRlimit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ulimit in definition.Ulimits ?? [])
        {
            var name = ulimit.Name ?? "";
            if (!UlimitNameValues.All.Contains(name))
            {
                throw SpecErrors.CannotStart($"invalid ulimit name {name}");
            }
            if (!seen.Add(name))
            {
                throw SpecErrors.CannotStart($"ulimit {name} is set more than once");
            }
            if (ulimit.SoftLimit is not int softValue || ulimit.HardLimit is not int hardValue)
            {
                throw SpecErrors.CannotStart($"ulimit {name} needs both softLimit and hardLimit");
            }
            var soft = ToLimit(name, softValue);
            var hard = ToLimit(name, hardValue);
            if (soft > hard)
            {
                throw SpecErrors.CannotStart($"ulimit {name}: soft limit {Show(soft)} is greater than hard limit {Show(hard)}");
            }
            if (options.RlimitCeilings.TryGetValue(name, out var ceiling) && hard > ceiling)
            {
                throw SpecErrors.CannotStart($"ulimit {name}: hard limit {Show(hard)} exceeds {ceiling}, the most this container instance allows");
            }
            result.Add(new SpecRlimit { Type = "RLIMIT_" + name.ToUpperInvariant(), Soft = soft, Hard = hard });
        }
        if (!seen.Contains(UlimitNameValues.nofile))
        {
            result.Add(options.DefaultNofile);
        }
        return result;
    }

    private static ulong ToLimit(string name, int value) => value switch
    {
        -1 => ulong.MaxValue,
        >= 0 => (ulong)value,
        _ => throw SpecErrors.CannotStart($"ulimit {name}: {value} is not a limit (use -1 for unlimited)"),
    };

    private static string Show(ulong limit) => limit == ulong.MaxValue ? "unlimited" : limit.ToString(CultureInfo.InvariantCulture);
}
