using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Task-level cpu ("1024", "1 vCPU", "0.25 vcpu") and memory ("512", "1GB", "1 GB") normalised to units and MiB.</summary>
internal static partial class TaskSize
{
    public static string? NormalizeCpu(string? cpu)
    {
        if (cpu is null)
        {
            return null;
        }
        var match = CpuPattern().Match(cpu.Trim());
        if (!match.Success)
        {
            throw Invalid.Client("cpu", $"'{cpu}' is not a CPU value; use CPU units (e.g. 1024) or vCPUs (e.g. 1 vCPU).");
        }
        var value = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var units = match.Groups[2].Success ? value * 1024 : value;
        if (units != decimal.Truncate(units) || units < 128 || units > 196608)
        {
            throw Invalid.Client("cpu", $"'{cpu}' must be between 128 and 196608 CPU units.");
        }
        return ((int)units).ToString(CultureInfo.InvariantCulture);
    }

    public static string? NormalizeMemory(string? memory)
    {
        if (memory is null)
        {
            return null;
        }
        var match = MemoryPattern().Match(memory.Trim());
        if (!match.Success)
        {
            throw Invalid.Client("memory", $"'{memory}' is not a memory value; use MiB (e.g. 512) or GB (e.g. 1 GB).");
        }
        var value = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var mib = match.Groups[2].Success ? value * 1024 : value;
        if (mib != decimal.Truncate(mib) || mib < 6)
        {
            throw Invalid.Client("memory", $"'{memory}' must be a whole number of MiB, at least 6.");
        }
        return ((long)mib).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(vcpu)?$", RegexOptions.IgnoreCase)]
    private static partial Regex CpuPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(gb)?$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();
}
