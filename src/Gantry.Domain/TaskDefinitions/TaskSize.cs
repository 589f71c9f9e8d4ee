using System.Globalization;
using System.Text.RegularExpressions;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Task-level cpu ("1024", "1 vCPU", "0.25 vcpu") and memory ("512", "1GB", "1 GB") normalised to units and MiB.</summary>
internal static partial class TaskSize
{
    public static string? NormalizeCpu(string? cpu) =>
        Normalize(cpu, "cpu", CpuPattern(), min: 128, max: 196608,
            "is not a CPU value; use CPU units (e.g. 1024) or vCPUs (e.g. 1 vCPU)", "must be a whole number of CPU units between 128 and 196608");

    public static string? NormalizeMemory(string? memory) =>
        Normalize(memory, "memory", MemoryPattern(), min: 6, max: int.MaxValue,
            "is not a memory value; use MiB (e.g. 512) or GB (e.g. 1 GB)", "must be a whole number of MiB, at least 6");

    /// <summary>Plain numbers are taken as they are; with the unit suffix (vCPU, GB) they are multiplied by 1024.</summary>
    private static string? Normalize(string? text, string field, Regex pattern, int min, int max, string unparseable, string outOfRange)
    {
        if (text is null)
        {
            return null;
        }
        var match = pattern.Match(text.Trim());
        if (!match.Success)
        {
            throw Invalid.Client(field, $"'{text}' {unparseable}.");
        }
        var value = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * (match.Groups[2].Success ? 1024 : 1);
        if (value != decimal.Truncate(value) || value < min || value > max)
        {
            throw Invalid.Client(field, $"'{text}' {outOfRange}.");
        }
        return ((long)value).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(vcpu)?$", RegexOptions.IgnoreCase)]
    private static partial Regex CpuPattern();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(gb)?$", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryPattern();
}
