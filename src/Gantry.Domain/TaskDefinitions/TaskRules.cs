using Gantry.Domain.Ecs;

namespace Gantry.Domain.TaskDefinitions;

/// <summary>Task-wide rules: health checks, placement constraints, ephemeral storage, proxy configuration.</summary>
internal static class TaskRules
{
    private const int MaxPlacementConstraints = 10;

    public static void Validate(RegisterTaskDefinitionRequest request)
    {
        var containers = request.ContainerDefinitions!;
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i].HealthCheck is { } check)
            {
                ValidateHealthCheck(check, $"containerDefinitions[{i}].healthCheck");
            }
        }
        var constraints = request.PlacementConstraints ?? [];
        if (constraints.Count > MaxPlacementConstraints)
        {
            throw Invalid.Client("placementConstraints", $"at most {MaxPlacementConstraints} constraints are allowed.");
        }
        foreach (var (constraint, i) in constraints.Select((c, i) => (c, i)))
        {
            Invalid.OneOf(constraint.Type, TaskDefinitionPlacementConstraintTypeValues.All, $"placementConstraints[{i}].type");
            if (string.IsNullOrWhiteSpace(constraint.Expression) || constraint.Expression.Length > 2000)
            {
                throw Invalid.Client($"placementConstraints[{i}].expression", "a memberOf constraint needs an expression of at most 2000 characters.");
            }
        }
        if (request.EphemeralStorage is { } storage)
        {
            Invalid.Range(storage.SizeInGiB ?? 0, 21, 200, "ephemeralStorage.sizeInGiB");
        }
        if (request.ProxyConfiguration is not null && request.NetworkMode != NetworkModeValues.awsvpc)
        {
            throw Invalid.Client("proxyConfiguration", "requires networkMode awsvpc.");
        }
    }

    private static void ValidateHealthCheck(HealthCheck check, string at)
    {
        var command = check.Command ?? [];
        if (command.Count == 0 || command[0] is not ("CMD" or "CMD-SHELL" or "NONE") || (command[0] != "NONE" && command.Count < 2))
        {
            throw Invalid.Client($"{at}.command", "must start with CMD or CMD-SHELL followed by the command (or be [\"NONE\"]).");
        }
        Invalid.Range(check.Interval, 5, 300, $"{at}.interval");
        Invalid.Range(check.Timeout, 2, 60, $"{at}.timeout");
        Invalid.Range(check.Retries, 1, 10, $"{at}.retries");
        Invalid.Range(check.StartPeriod, 0, 300, $"{at}.startPeriod");
    }
}
