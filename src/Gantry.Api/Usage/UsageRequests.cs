using System.Text.Json.Serialization;

namespace Gantry.Api.Usage;

public sealed record GetUsageRequest
{
    /// <summary>Start of the window: only usage at or after it counts (a task running across it counts its part after it).</summary>
    [JsonPropertyName("since")] public DateTimeOffset? Since { get; init; }
    /// <summary>End of the window: only usage before it counts.</summary>
    [JsonPropertyName("until")] public DateTimeOffset? Until { get; init; }
    /// <summary>CLUSTER (the default), SERVICE or FAMILY.</summary>
    [JsonPropertyName("groupBy")] public string? GroupBy { get; init; }
}

public sealed record UsageGroupSummary
{
    [JsonPropertyName("cluster")] public required string Cluster { get; init; }
    /// <summary>The service, when grouped by service (absent for standalone tasks).</summary>
    [JsonPropertyName("service")] public string? Service { get; init; }
    /// <summary>The task definition family, when grouped by family.</summary>
    [JsonPropertyName("family")] public string? Family { get; init; }
    /// <summary>EC2 or FARGATE.</summary>
    [JsonPropertyName("launchType")] public required string LaunchType { get; init; }
    [JsonPropertyName("tasks")] public required int Tasks { get; init; }
    [JsonPropertyName("runningTasks")] public required int RunningTasks { get; init; }
    [JsonPropertyName("vcpuSeconds")] public required double VcpuSeconds { get; init; }
    [JsonPropertyName("gbSeconds")] public required double GbSeconds { get; init; }
}

public sealed record UsageTotal
{
    [JsonPropertyName("tasks")] public required int Tasks { get; init; }
    [JsonPropertyName("runningTasks")] public required int RunningTasks { get; init; }
    [JsonPropertyName("vcpuSeconds")] public required double VcpuSeconds { get; init; }
    [JsonPropertyName("gbSeconds")] public required double GbSeconds { get; init; }
}

public sealed record GetUsageResponse
{
    [JsonPropertyName("since")] public DateTimeOffset? Since { get; init; }
    /// <summary>The end of the window: the request's until, else the time of the answer (running tasks count up to it).</summary>
    [JsonPropertyName("until")] public required DateTimeOffset Until { get; init; }
    [JsonPropertyName("groupBy")] public required string GroupBy { get; init; }
    [JsonPropertyName("groups")] public required IReadOnlyList<UsageGroupSummary> Groups { get; init; }
    [JsonPropertyName("total")] public required UsageTotal Total { get; init; }
}
