using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>Cluster settings: today only <c>containerInsights</c> (enhanced | enabled | disabled).</summary>
public static class ClusterSettings
{
    private static readonly string[] ContainerInsightsValues = ["enhanced", "enabled", "disabled"];

    public static void Validate(IReadOnlyList<ClusterSetting>? settings)
    {
        foreach (var setting in settings ?? [])
        {
            if (setting.Name != "containerInsights")
            {
                throw EcsErrors.InvalidParameter($"Invalid setting name '{setting.Name}'. Valid names: containerInsights.");
            }
            if (setting.Value is null || !ContainerInsightsValues.Contains(setting.Value, StringComparer.Ordinal))
            {
                throw EcsErrors.InvalidParameter($"Invalid value '{setting.Value}' for setting containerInsights. Valid values: enhanced, enabled, disabled.");
            }
        }
    }

    public static IReadOnlyList<ClusterSetting> WithDefaults(IReadOnlyList<ClusterSetting>? settings) =>
        Merge([new ClusterSetting { Name = "containerInsights", Value = "disabled" }], settings ?? []);

    public static IReadOnlyList<ClusterSetting> Merge(IReadOnlyList<ClusterSetting>? current, IReadOnlyList<ClusterSetting> changes)
    {
        var merged = (current ?? []).ToList();
        foreach (var change in changes)
        {
            merged.RemoveAll(s => s.Name == change.Name);
            merged.Add(change);
        }
        return merged;
    }
}
