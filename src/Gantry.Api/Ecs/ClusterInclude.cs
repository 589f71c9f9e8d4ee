using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>The DescribeClusters <c>include</c> options.</summary>
public sealed record ClusterInclude(bool Attachments, bool Configurations, bool Settings, bool Statistics, bool Tags)
{
    public static ClusterInclude All { get; } = new(true, true, true, true, true);

    public static ClusterInclude Parse(IReadOnlyList<string>? include)
    {
        var result = new ClusterInclude(false, false, false, false, false);
        foreach (var field in include ?? [])
        {
            result = field switch
            {
                "ATTACHMENTS" => result with { Attachments = true },
                "CONFIGURATIONS" => result with { Configurations = true },
                "SETTINGS" => result with { Settings = true },
                "STATISTICS" => result with { Statistics = true },
                "TAGS" => result with { Tags = true },
                _ => throw EcsErrors.InvalidParameter($"Invalid include value '{field}'. Valid values: ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS."),
            };
        }
        return result;
    }
}
