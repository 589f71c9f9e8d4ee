namespace Gantry.Domain.TaskDefinitions;

/// <summary>The valid Fargate task sizes: CPU units and the memory (MiB) each allows.</summary>
public static class FargateSizes
{
    public static IReadOnlyDictionary<int, IReadOnlyList<int>> MemoryByCpu { get; } = new Dictionary<int, IReadOnlyList<int>>
    {
        [256] = [512, 1024, 2048],
        [512] = Steps(1024, 4096, 1024),
        [1024] = Steps(2048, 8192, 1024),
        [2048] = Steps(4096, 16384, 1024),
        [4096] = Steps(8192, 30720, 1024),
        [8192] = Steps(16384, 61440, 4096),
        [16384] = Steps(32768, 122880, 8192),
    };

    /// <summary>True when the (normalised) task cpu and memory strings form a Fargate size.</summary>
    public static bool IsValid(string? cpu, string? memory) =>
        int.TryParse(cpu, System.Globalization.CultureInfo.InvariantCulture, out var c)
        && int.TryParse(memory, System.Globalization.CultureInfo.InvariantCulture, out var m)
        && MemoryByCpu.TryGetValue(c, out var allowed) && allowed.Contains(m);

    private static int[] Steps(int from, int to, int step) =>
        Enumerable.Range(0, ((to - from) / step) + 1).Select(i => from + (i * step)).ToArray();
}
