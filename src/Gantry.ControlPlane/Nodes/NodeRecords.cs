namespace Gantry.ControlPlane.Nodes;

/// <summary>A join token as stored (kind <c>join-token</c>, key its id): never the secret, only its SHA-256.</summary>
public sealed record JoinTokenRecord(string TokenId, string Cluster, string SecretSha256, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    string? Description, bool Revoked = false);

/// <summary>
/// A node's identity (kind <c>node</c>, key its id), created when it joined with a token: the cluster and instance id it
/// may register as, and the SHA-256 of its secret.
/// </summary>
public sealed record NodeRecord(string NodeId, string Cluster, string InstanceId, string SecretSha256, DateTimeOffset JoinedAt, string TokenId,
    bool Revoked = false, DateTimeOffset? RevokedAt = null);
