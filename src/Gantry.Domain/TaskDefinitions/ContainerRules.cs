using System.Globalization;
using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Per-container rules: names, image, essential, memory and cpu, environment, ulimits, logging.</summary>
internal static class ContainerRules
{
    private const int MinimumMemoryMiB = 6;

    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        var containers = request.ContainerDefinitions!;
        var names = new HashSet<string>(StringComparer.Ordinal);
        long cpuSum = 0, memorySum = 0;
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            var at = $"containerDefinitions[{i}]";
            if (!TaskDefinitionValidator.IsName(c.Name))
            {
                throw Invalid.Client($"{at}.name", "must be 1-255 letters, numbers, underscores and hyphens.");
            }
            if (!names.Add(c.Name!))
            {
                throw Invalid.Client($"{at}.name", $"'{c.Name}' is used by more than one container.");
            }
            if (string.IsNullOrWhiteSpace(c.Image) || c.Image.Length > 255 || c.Image.Any(char.IsWhiteSpace))
            {
                throw Invalid.Client($"{at}.image", "must be a non-empty image reference without spaces (up to 255 characters).");
            }
            ValidateMemory(c, at, request.Memory is not null);
            if (c.Cpu is < 0)
            {
                throw Invalid.Client($"{at}.cpu", "must not be negative.");
            }
            cpuSum += c.Cpu ?? 0;
            memorySum += c.Memory ?? c.MemoryReservation ?? 0;
            ValidateEnvironment(c, at);
            ValidateUlimits(c, at);
            ValidateLogging(c, at, request);
            Invalid.Range(c.StartTimeout, 0, int.MaxValue, $"{at}.startTimeout");
            Invalid.Range(c.StopTimeout, 0, int.MaxValue, $"{at}.stopTimeout");
        }
        if (!containers.Any(c => c.Essential ?? true))
        {
            throw Invalid.Client("containerDefinitions", "at least one container must be essential.");
        }
        if (request.Cpu is not null && cpuSum > int.Parse(request.Cpu, CultureInfo.InvariantCulture))
        {
            throw Invalid.Client("containerDefinitions[].cpu", $"the containers reserve {cpuSum} CPU units, more than the task cpu {request.Cpu}.");
        }
        if (request.Memory is not null && memorySum > long.Parse(request.Memory, CultureInfo.InvariantCulture))
        {
            throw Invalid.Client("containerDefinitions[].memory", $"the containers reserve {memorySum} MiB, more than the task memory {request.Memory}.");
        }
    }

    private static void ValidateMemory(ContainerDefinition c, string at, bool taskHasMemory)
    {
        if (!taskHasMemory && c.Memory is null && c.MemoryReservation is null)
        {
            throw Invalid.Client($"{at}.memory", $"container '{c.Name}' needs memory or memoryReservation when the task has no memory.");
        }
        if (c.Memory is < MinimumMemoryMiB)
        {
            throw Invalid.Client($"{at}.memory", $"must be at least {MinimumMemoryMiB} MiB.");
        }
        if (c.MemoryReservation is < MinimumMemoryMiB)
        {
            throw Invalid.Client($"{at}.memoryReservation", $"must be at least {MinimumMemoryMiB} MiB.");
        }
        if (c.Memory is { } hard && c.MemoryReservation is { } soft && soft >= hard)
        {
            throw Invalid.Client($"{at}.memoryReservation", $"{soft} must be less than memory {hard}.");
        }
    }

    private static void ValidateEnvironment(ContainerDefinition c, string at)
    {
        foreach (var (variable, j) in (c.Environment ?? []).Select((e, j) => (e, j)))
        {
            if (string.IsNullOrEmpty(variable.Name) || variable.Name.Contains('=', StringComparison.Ordinal))
            {
                throw Invalid.Client($"{at}.environment[{j}].name", "must be non-empty and must not contain '='.");
            }
        }
    }

    private static void ValidateUlimits(ContainerDefinition c, string at)
    {
        foreach (var (limit, j) in (c.Ulimits ?? []).Select((u, j) => (u, j)))
        {
            if (limit.Name is null)
            {
                throw Invalid.Parameter($"{at}.ulimits[{j}].name", "is required.");
            }
            Invalid.OneOf(limit.Name, UlimitNameValues.All, $"{at}.ulimits[{j}].name");
            if (limit.SoftLimit > limit.HardLimit)
            {
                throw Invalid.Client($"{at}.ulimits[{j}].softLimit", $"{limit.SoftLimit} is above hardLimit {limit.HardLimit}.");
            }
        }
    }

    private static void ValidateLogging(ContainerDefinition c, string at, RegisterTaskDefinitionRequest request)
    {
        if (c.LogConfiguration is not { } log)
        {
            return;
        }
        if (log.LogDriver is null)
        {
            throw Invalid.Client($"{at}.logConfiguration.logDriver", "is required.");
        }
        Invalid.OneOf(log.LogDriver, LogDriverValues.All, $"{at}.logConfiguration.logDriver");
        if (log.LogDriver != LogDriverValues.awslogs)
        {
            return;
        }
        var options = log.Options ?? new Dictionary<string, string>();
        if (!options.ContainsKey("awslogs-group"))
        {
            throw Invalid.Client($"{at}.logConfiguration.options", "the awslogs driver needs the awslogs-group option.");
        }
        if (request.RequiresCompatibilities?.Contains(CompatibilityValues.FARGATE) == true && !options.ContainsKey("awslogs-stream-prefix"))
        {
            throw Invalid.Client($"{at}.logConfiguration.options", "the awslogs driver on Fargate needs the awslogs-stream-prefix option.");
        }
        if (options.TryGetValue("mode", out var mode) && mode is not ("blocking" or "non-blocking"))
        {
            throw Invalid.Parameter($"{at}.logConfiguration.options.mode", $"'{mode}' is not one of blocking, non-blocking.");
        }
    }
}
