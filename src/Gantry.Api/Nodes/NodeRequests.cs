using System.Text.Json.Serialization;

namespace Gantry.Api.Nodes;

public sealed record CreateJoinTokenRequest
{
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    /// <summary>FARGATE or FARGATE_SPOT: the Fargate pool joining nodes serve.</summary>
    [JsonPropertyName("capacity")] public string? Capacity { get; init; }
    [JsonPropertyName("ttlSeconds")] public long? TtlSeconds { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
}

public sealed record CreateJoinTokenResponse
{
    /// <summary>gntj_&lt;id&gt;.&lt;secret&gt;: shown once.</summary>
    [JsonPropertyName("joinToken")] public required string JoinToken { get; init; }
    [JsonPropertyName("tokenId")] public required string TokenId { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("capacity")] public string? Capacity { get; init; }
    [JsonPropertyName("expiresAt")] public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed record ListJoinTokensRequest;

public sealed record JoinTokenSummary
{
    [JsonPropertyName("tokenId")] public required string TokenId { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("capacity")] public string? Capacity { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("expiresAt")] public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>ACTIVE, EXPIRED or REVOKED.</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }
}

public sealed record ListJoinTokensResponse
{
    [JsonPropertyName("joinTokens")] public required IReadOnlyList<JoinTokenSummary> JoinTokens { get; init; }
}

public sealed record RevokeJoinTokenRequest
{
    [JsonPropertyName("tokenId")] public string? TokenId { get; init; }
}

public sealed record ListNodesRequest
{
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
}

public sealed record NodeSummary
{
    [JsonPropertyName("nodeId")] public required string NodeId { get; init; }
    [JsonPropertyName("cluster")] public string? Cluster { get; init; }
    [JsonPropertyName("capacity")] public string? Capacity { get; init; }
    [JsonPropertyName("instanceId")] public required string InstanceId { get; init; }
    [JsonPropertyName("joinedAt")] public required DateTimeOffset JoinedAt { get; init; }
    [JsonPropertyName("tokenId")] public required string TokenId { get; init; }
    /// <summary>ACTIVE, RECLAIMED (Fargate Spot capacity taken back) or REVOKED.</summary>
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("connected")] public required bool Connected { get; init; }
    [JsonPropertyName("reclaimedAt")] public DateTimeOffset? ReclaimedAt { get; init; }
}

public sealed record ListNodesResponse
{
    [JsonPropertyName("nodes")] public required IReadOnlyList<NodeSummary> Nodes { get; init; }
}

public sealed record RevokeNodeRequest
{
    [JsonPropertyName("nodeId")] public string? NodeId { get; init; }
}

public sealed record ReclaimNodeRequest
{
    [JsonPropertyName("nodeId")] public string? NodeId { get; init; }
}

public sealed record ReclaimNodeResponse
{
    [JsonPropertyName("nodeId")] public required string NodeId { get; init; }
    [JsonPropertyName("instanceId")] public required string InstanceId { get; init; }
    [JsonPropertyName("reclaimedAt")] public required DateTimeOffset ReclaimedAt { get; init; }
    /// <summary>How long the interrupted tasks have to stop (120 s).</summary>
    [JsonPropertyName("warningSeconds")] public required int WarningSeconds { get; init; }
    /// <summary>The ARNs of the tasks this call interrupted (those still wanted running).</summary>
    [JsonPropertyName("interruptedTasks")] public required IReadOnlyList<string> InterruptedTasks { get; init; }
}
