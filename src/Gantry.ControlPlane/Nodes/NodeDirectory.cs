using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;
using Grpc.Core;

namespace Gantry.ControlPlane.Nodes;

/// <summary>
/// Join tokens and node identities in the state store. An operator creates a token for a cluster; a node trades it
/// (with its instance id) for its own credentials; every agent call then authenticates as that node, until the node
/// is revoked. A token may join several nodes until it expires or is revoked; an instance id belongs to one
/// unrevoked node per cluster, so no node can join as another's instance.
/// </summary>
public sealed class NodeDirectory(Documents documents, TimeProvider time)
{
    public static readonly TimeSpan DefaultTokenTtl = TimeSpan.FromHours(24);
    public static readonly TimeSpan MaxTokenTtl = TimeSpan.FromDays(365);
    private const int MaxInstanceIdLength = 128;

    /// <summary>
    /// A new join token for <paramref name="cluster"/> ("" for none) and the Fargate pool <paramref name="capacity"/>
    /// (FARGATE, FARGATE_SPOT or null); the returned token string is the only copy of its secret.
    /// </summary>
    public async Task<(string Token, JoinTokenRecord Record)> CreateTokenAsync(string cluster, string? capacity, TimeSpan ttl, string? description, CancellationToken ct)
    {
        if (cluster.Length == 0 && capacity is null)
        {
            throw EcsErrors.InvalidParameter("A join token needs a cluster, a Fargate capacity (FARGATE or FARGATE_SPOT), or both.");
        }
        if (capacity is not null && !FargatePool.IsProvider(capacity))
        {
            throw EcsErrors.InvalidParameter($"capacity '{capacity}' is not FARGATE or FARGATE_SPOT.");
        }
        if (cluster.Length > 0 && await documents.GetAsync<Cluster>(Kinds.Cluster, cluster, ct).ConfigureAwait(false) is not { Value.Status: "ACTIVE" })
        {
            throw EcsErrors.ClusterNotFound($"Cluster '{cluster}' not found: create it before issuing join tokens for it.");
        }
        var secret = NodeSecrets.NewSecret();
        var now = time.GetUtcNow();
        var record = new JoinTokenRecord(NodeSecrets.NewId(""), cluster, NodeSecrets.Hash(secret), now, now + ttl, description, Capacity: capacity);
        await documents.Store.CommitAsync([documents.Put(Kinds.JoinToken, record.TokenId, record, WriteOp.MustNotExist)], ct).ConfigureAwait(false);
        return (NodeSecrets.JoinToken(record.TokenId, secret), record);
    }

    public async Task<IReadOnlyList<JoinTokenRecord>> ListTokensAsync(CancellationToken ct) =>
        [.. (await documents.ListAllAsync<JoinTokenRecord>(Kinds.JoinToken, null, ct).ConfigureAwait(false)).Select(v => v.Value)];

    /// <summary>Revokes a token (nodes that already joined with it keep their credentials).</summary>
    public async Task RevokeTokenAsync(string tokenId, CancellationToken ct)
    {
        if (await documents.GetAsync<JoinTokenRecord>(Kinds.JoinToken, tokenId, ct).ConfigureAwait(false) is null)
        {
            throw EcsErrors.ResourceNotFound($"Join token '{tokenId}' not found.");
        }
        await documents.UpdateAsync<JoinTokenRecord>(Kinds.JoinToken, tokenId, t => t! with { Revoked = true }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Trades a join token for a new node identity bound to the token's cluster and <paramref name="instanceId"/>.
    /// Returns the node and its secret (shown once). Refusals are gRPC errors the agent shows as they are.
    /// </summary>
    public async Task<(NodeRecord Node, string Secret)> JoinAsync(string joinToken, string instanceId, CancellationToken ct)
    {
        if (NodeSecrets.ParseJoinToken(joinToken) is not var (tokenId, tokenSecret))
        {
            throw Refused(StatusCode.Unauthenticated, "not a join token (expected gntj_<id>.<secret> from `gantry node token create`)");
        }
        if (string.IsNullOrEmpty(instanceId) || instanceId.Length > MaxInstanceIdLength || instanceId.Any(c => c is <= ' ' or > '~'))
        {
            throw Refused(StatusCode.InvalidArgument, $"the instance id must be 1 to {MaxInstanceIdLength} printable ASCII characters without spaces");
        }
        var token = (await documents.GetAsync<JoinTokenRecord>(Kinds.JoinToken, tokenId, ct).ConfigureAwait(false))?.Value;
        if (token is null || !NodeSecrets.Matches(tokenSecret, token.SecretSha256))
        {
            throw Refused(StatusCode.Unauthenticated, "the join token is not valid");
        }
        if (token.Revoked)
        {
            throw Refused(StatusCode.PermissionDenied, $"join token {token.TokenId} was revoked");
        }
        if (token.ExpiresAt <= time.GetUtcNow())
        {
            throw Refused(StatusCode.PermissionDenied, $"join token {token.TokenId} expired at {token.ExpiresAt:u}; create a new one with `gantry node token create`");
        }
        var indexKey = Kinds.InCluster(token.Cluster.Length > 0 ? token.Cluster : FargatePool.Of(token.Capacity!), instanceId);
        var holder = await documents.GetAsync<string>(Kinds.NodeInstance, indexKey, ct).ConfigureAwait(false);
        if (holder is not null && (await documents.GetAsync<NodeRecord>(Kinds.Node, holder.Value, ct).ConfigureAwait(false))?.Value is { Revoked: false } other)
        {
            throw Refused(StatusCode.AlreadyExists,
                $"instance {instanceId} already joined {(token.Cluster.Length > 0 ? $"cluster {token.Cluster}" : $"the {token.Capacity} pool")} as node {other.NodeId}; revoke it (`gantry node revoke {other.NodeId}`) to join again");
        }
        var secret = NodeSecrets.NewSecret();
        var node = new NodeRecord(NodeSecrets.NewId(NodeSecrets.NodeIdPrefix), token.Cluster, instanceId, NodeSecrets.Hash(secret), time.GetUtcNow(), token.TokenId,
            Capacity: token.Capacity);
        try
        {
            await documents.Store.CommitAsync(
                [documents.Put(Kinds.Node, node.NodeId, node, WriteOp.MustNotExist), documents.Put(Kinds.NodeInstance, indexKey, node.NodeId, holder?.Version ?? WriteOp.MustNotExist)],
                ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            throw Refused(StatusCode.Aborted, $"instance {instanceId} joined at the same moment from elsewhere");
        }
        return (node, secret);
    }

    /// <summary>The node these credentials belong to; Unauthenticated when they are wrong, PermissionDenied when it was revoked.</summary>
    public async Task<NodeRecord> AuthenticateAsync(string nodeId, string secret, CancellationToken ct)
    {
        var node = (await documents.GetAsync<NodeRecord>(Kinds.Node, nodeId, ct).ConfigureAwait(false))?.Value;
        if (node is null || !NodeSecrets.Matches(secret, node.SecretSha256))
        {
            throw Refused(StatusCode.Unauthenticated, "the node credentials are not valid");
        }
        return node.Revoked ? throw RevokedError(node.NodeId) : node;
    }

    public async Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken ct) =>
        [.. (await documents.ListAllAsync<NodeRecord>(Kinds.Node, null, ct).ConfigureAwait(false)).Select(v => v.Value)];

    public async Task RevokeNodeAsync(string nodeId, CancellationToken ct)
    {
        if (await documents.GetAsync<NodeRecord>(Kinds.Node, nodeId, ct).ConfigureAwait(false) is null)
        {
            throw EcsErrors.ResourceNotFound($"Node '{nodeId}' not found.");
        }
        var now = time.GetUtcNow();
        await documents.UpdateAsync<NodeRecord>(Kinds.Node, nodeId, n => n!.Revoked ? n : n with { Revoked = true, RevokedAt = now }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Marks a FARGATE_SPOT node reclaimed (the first time counts; reclaiming again changes nothing) and returns it.
    /// An unknown node is ResourceNotFoundException; a revoked node, or one that is not Fargate Spot capacity, is
    /// InvalidParameterException: only Spot capacity is ever taken back.
    /// </summary>
    public async Task<NodeRecord> MarkReclaimedAsync(string nodeId, CancellationToken ct)
    {
        var node = (await documents.GetAsync<NodeRecord>(Kinds.Node, nodeId, ct).ConfigureAwait(false))?.Value
            ?? throw EcsErrors.ResourceNotFound($"Node '{nodeId}' not found.");
        if (node.Capacity != FargatePool.FargateSpot)
        {
            throw EcsErrors.InvalidParameter(
                $"nodeId: node {nodeId} is not a {FargatePool.FargateSpot} pool node ({(node.Capacity is null ? $"it joined cluster '{node.Cluster}' only" : $"it serves {node.Capacity}")}); only Fargate Spot capacity is reclaimed.");
        }
        if (node.Revoked)
        {
            throw EcsErrors.InvalidParameter($"nodeId: node {nodeId} was revoked; it has nothing left to reclaim.");
        }
        var now = time.GetUtcNow();
        return await documents.UpdateAsync<NodeRecord>(Kinds.Node, nodeId, n => n!.ReclaimedAt is not null ? n : n with { ReclaimedAt = now }, ct).ConfigureAwait(false);
    }

    /// <summary>What a revoked node is told, on its next call and on its open stream.</summary>
    public static RpcException RevokedError(string nodeId) =>
        Refused(StatusCode.PermissionDenied, $"node {nodeId} was revoked; join again with a new token (`gantry node token create`)");

    private static RpcException Refused(StatusCode code, string message) => new(new Status(code, message));
}
