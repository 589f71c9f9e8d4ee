using System.Text.RegularExpressions;
using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>
/// Validates a RegisterTaskDefinition request against the ECS rules and returns it normalised (task cpu and
/// memory as plain units and MiB). Throws <see cref="Errors.AwsException"/> naming the offending field.
/// </summary>
public static partial class TaskDefinitionValidator
{
    public const int MaxContainers = 10;

    public static RegisterTaskDefinitionRequest Validate(RegisterTaskDefinitionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Family) || !NamePattern().IsMatch(request.Family))
        {
            throw Invalid.Client("family", "must be 1-255 letters, numbers, underscores and hyphens.");
        }
        var containers = request.ContainerDefinitions ?? [];
        if (containers.Count is 0 or > MaxContainers)
        {
            throw Invalid.Client("containerDefinitions", $"must hold 1-{MaxContainers} container definitions, got {containers.Count}.");
        }
        Invalid.OneOf(request.NetworkMode, NetworkModeValues.All, "networkMode");
        Invalid.OneOf(request.PidMode, PidModeValues.All, "pidMode");
        Invalid.OneOf(request.IpcMode, IpcModeValues.All, "ipcMode");
        foreach (var (compatibility, i) in (request.RequiresCompatibilities ?? []).Select((c, i) => (c, i)))
        {
            Invalid.OneOf(compatibility, CompatibilityValues.All, $"requiresCompatibilities[{i}]");
        }
        var normalized = request with { Cpu = TaskSize.NormalizeCpu(request.Cpu), Memory = TaskSize.NormalizeMemory(request.Memory) };

        // Fargate's own refusals first (task size, network mode), as Fargate answers them before container details.
        if (normalized.RequiresCompatibilities?.Contains(CompatibilityValues.FARGATE) == true)
        {
            FargateRules.Validate(normalized);
        }
        ContainerRules.Validate(normalized);
        PortRules.Validate(normalized);
        DependencyRules.Validate(normalized);
        VolumeRules.Validate(normalized);
        TaskRules.Validate(normalized);
        UnsupportedRules.Validate(normalized);
        return normalized;
    }

    internal static bool IsName(string? name) => name is not null && NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex NamePattern();
}
