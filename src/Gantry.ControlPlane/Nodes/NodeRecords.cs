using Gantry.ControlPlane.Fargate;

namespace Gantry.ControlPlane.Nodes;

/// <summary>A join token as stored (kind <c>join-token</c>, key its id): never the secret, only its SHA-256.</summary>
/// <param name="Cluster">The cluster nodes joining with it register into ("" when they join only a Fargate pool).</param>
/// <param name="Capacity">The Fargate pool they serve too (FARGATE or FARGATE_SPOT), or null.</param>
public sealed record JoinTokenRecord(string TokenId, string Cluster, string SecretSha256, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    string? Description, bool Revoked = false, string? Capacity = null);

/// <summary>
/// A node's identity (kind <c>node</c>, key its id), created when it joined with a token: the cluster and instance id it
/// and Fargate pool it may register as, and the SHA-256 of its secret.
/// </summary>
/// <param name="ReclaimedAt">When a FARGATE_SPOT node was reclaimed (`gantry node reclaim`, or its agent shutting down):
/// from then on nothing is placed on it.</param>
public sealed record NodeRecord(string NodeId, string Cluster, string InstanceId, string SecretSha256, DateTimeOffset JoinedAt, string TokenId,
    bool Revoked = false, DateTimeOffset? RevokedAt = null, string? Capacity = null, DateTimeOffset? ReclaimedAt = null)
{
    /// <summary>Where the node registers: the container instance of the cluster it joined, then its Fargate pool's internal name.</summary>
    public IReadOnlyList<string> Registrations =>
        [.. string.IsNullOrEmpty(Cluster) ? [] : new[] { Cluster }, .. Capacity is null ? [] : new[] { FargatePool.Of(Capacity) }];
}
