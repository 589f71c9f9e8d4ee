using System.Text.Json.Serialization;

namespace Gantry.Api.Replicas;

public sealed record GetClusterStatusRequest;

public sealed record ReplicaSummary
{
    [JsonPropertyName("replicaId")] public required string ReplicaId { get; init; }
    /// <summary>Its AWS API endpoint.</summary>
    [JsonPropertyName("address")] public required string Address { get; init; }
    /// <summary>Its agents' gRPC endpoint.</summary>
    [JsonPropertyName("agentAddress")] public required string AgentAddress { get; init; }
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("startedAt")] public required DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("lastSeen")] public required DateTimeOffset LastSeen { get; init; }
    /// <summary>Its heartbeat is older than the stale limit on the answering replica's clock.</summary>
    [JsonPropertyName("stale")] public required bool Stale { get; init; }
    [JsonPropertyName("leader")] public required bool Leader { get; init; }
    /// <summary>Container instances whose agents are connected to it.</summary>
    [JsonPropertyName("connectedAgents")] public required int ConnectedAgents { get; init; }
}

public sealed record LeaseSummary
{
    [JsonPropertyName("holder")] public required string Holder { get; init; }
    /// <summary>The lease's version: only commits checked against it hold.</summary>
    [JsonPropertyName("fencingToken")] public required long FencingToken { get; init; }
    [JsonPropertyName("acquiredAt")] public required DateTimeOffset AcquiredAt { get; init; }
    [JsonPropertyName("renewedAt")] public DateTimeOffset? RenewedAt { get; init; }
    /// <summary>Seconds since the last renewal (since it was taken when never renewed).</summary>
    [JsonPropertyName("leaseAgeSeconds")] public required double LeaseAgeSeconds { get; init; }
}

public sealed record GetClusterStatusResponse
{
    /// <summary>The replica that answered (whose store view and lag these are).</summary>
    [JsonPropertyName("answeredBy")] public required string AnsweredBy { get; init; }
    [JsonPropertyName("replicas")] public required IReadOnlyList<ReplicaSummary> Replicas { get; init; }
    [JsonPropertyName("lease")] public LeaseSummary? Lease { get; init; }
    [JsonPropertyName("storeRevision")] public required long StoreRevision { get; init; }
    [JsonPropertyName("followedRevision")] public required long FollowedRevision { get; init; }
    /// <summary>Commits the answering replica's change-feed follower has not handled yet.</summary>
    [JsonPropertyName("storeLag")] public required long StoreLag { get; init; }
}
