using Gantry.Api.Front;
using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Nodes;
using Gantry.Domain.Errors;
using Gantry.Domain.Tasks;

namespace Gantry.Api.Nodes;

/// <summary>
/// Gantry's own node admin API on the AWS JSON front door (target prefix <c>GantryNodes_20261205</c>, SigV4 signing
/// name <c>gantry</c>): join tokens and joined nodes (and reclaiming Fargate Spot ones). `gantry node ...` calls it.
/// </summary>
public sealed class NodeOperations(NodeDirectory directory, AgentSessions sessions, SpotReclaimer reclaimer)
{
    public const string Prefix = "GantryNodes_20261205";

    /// <summary>The SigV4 service name clients sign these operations with.</summary>
    public const string SigningName = "gantry";

    public async Task<CreateJoinTokenResponse> CreateTokenAsync(CreateJoinTokenRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cluster = request.Cluster ?? "";
        var capacity = string.IsNullOrEmpty(request.Capacity) ? null : request.Capacity;
        var maxSeconds = (long)NodeDirectory.MaxTokenTtl.TotalSeconds;
        var ttl = request.TtlSeconds switch
        {
            null => NodeDirectory.DefaultTokenTtl,
            > 0 and var seconds when seconds <= maxSeconds => TimeSpan.FromSeconds(seconds),
            _ => throw EcsErrors.InvalidParameter($"ttlSeconds must be between 1 and {maxSeconds}."),
        };
        if (request.Description is { Length: > 256 })
        {
            throw EcsErrors.InvalidParameter("description must be at most 256 characters.");
        }
        var (token, record) = await directory.CreateTokenAsync(cluster, capacity, ttl, request.Description, ct).ConfigureAwait(false);
        return new CreateJoinTokenResponse
        {
            JoinToken = token,
            TokenId = record.TokenId,
            Cluster = NullIfEmpty(record.Cluster),
            Capacity = record.Capacity,
            ExpiresAt = record.ExpiresAt,
        };
    }

    public async Task<ListJoinTokensResponse> ListTokensAsync(DateTimeOffset now, CancellationToken ct) => new()
    {
        JoinTokens = [.. (await directory.ListTokensAsync(ct).ConfigureAwait(false)).Select(t => new JoinTokenSummary
        {
            TokenId = t.TokenId,
            Cluster = NullIfEmpty(t.Cluster),
            Capacity = t.Capacity,
            Description = t.Description,
            CreatedAt = t.CreatedAt,
            ExpiresAt = t.ExpiresAt,
            Status = t.Revoked ? "REVOKED" : t.ExpiresAt <= now ? "EXPIRED" : "ACTIVE",
        })],
    };

    public Task RevokeTokenAsync(RevokeJoinTokenRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return directory.RevokeTokenAsync(string.IsNullOrEmpty(request.TokenId) ? throw EcsErrors.InvalidParameter("tokenId is required.") : request.TokenId, ct);
    }

    public async Task<ListNodesResponse> ListNodesAsync(ListNodesRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connected = sessions.All.Select(s => s.NodeId).ToHashSet(StringComparer.Ordinal);
        return new ListNodesResponse
        {
            Nodes = [.. (await directory.ListNodesAsync(ct).ConfigureAwait(false))
                .Where(n => string.IsNullOrEmpty(request.Cluster) || n.Cluster == request.Cluster)
                .Select(n => new NodeSummary
                {
                    NodeId = n.NodeId,
                    Cluster = NullIfEmpty(n.Cluster),
                    Capacity = n.Capacity,
                    InstanceId = n.InstanceId,
                    JoinedAt = n.JoinedAt,
                    TokenId = n.TokenId,
                    Status = n.Revoked ? "REVOKED" : n.ReclaimedAt is not null ? "RECLAIMED" : "ACTIVE",
                    ReclaimedAt = n.ReclaimedAt,
                    Connected = connected.Contains(n.NodeId),
                })],
        };
    }

    /// <summary>Revokes a node and closes its open stream; its credentials never work again.</summary>
    public async Task RevokeNodeAsync(RevokeNodeRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nodeId = string.IsNullOrEmpty(request.NodeId) ? throw EcsErrors.InvalidParameter("nodeId is required.") : request.NodeId;
        await directory.RevokeNodeAsync(nodeId, ct).ConfigureAwait(false);
        sessions.Revoke(nodeId);
    }

    /// <summary>
    /// Reclaims a FARGATE_SPOT node as AWS takes back Spot capacity: nothing is placed there again, and every task on it
    /// is stopped with stopCode SpotInterruption (SIGTERM, SIGKILL after its stopTimeout, at most the two-minute warning).
    /// </summary>
    public async Task<ReclaimNodeResponse> ReclaimNodeAsync(ReclaimNodeRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var nodeId = string.IsNullOrEmpty(request.NodeId) ? throw EcsErrors.InvalidParameter("nodeId is required.") : request.NodeId;
        var reclaimed = await reclaimer.ReclaimAsync(nodeId, ct).ConfigureAwait(false);
        return new ReclaimNodeResponse
        {
            NodeId = reclaimed.Node.NodeId,
            InstanceId = reclaimed.Node.InstanceId,
            ReclaimedAt = reclaimed.Node.ReclaimedAt!.Value,
            WarningSeconds = (int)SpotInterruption.Warning.TotalSeconds,
            InterruptedTasks = reclaimed.InterruptedTaskArns,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>Registers the node admin operations under <see cref="NodeOperations.Prefix"/>.</summary>
public static class NodeOperationsTable
{
    public static AwsOperationTable.Builder MapNodes(this AwsOperationTable.Builder table, NodeOperations nodes, TimeProvider time) => table
        .Service(NodeOperations.Prefix, NodeOperations.SigningName)
        .Map<CreateJoinTokenRequest, CreateJoinTokenResponse>(NodeOperations.Prefix, "CreateJoinToken", (r, _, ct) => nodes.CreateTokenAsync(r, ct))
        .Map<ListJoinTokensRequest, ListJoinTokensResponse>(NodeOperations.Prefix, "ListJoinTokens", (_, _, ct) => nodes.ListTokensAsync(time.GetUtcNow(), ct))
        .Map<RevokeJoinTokenRequest>(NodeOperations.Prefix, "RevokeJoinToken", (r, _, ct) => nodes.RevokeTokenAsync(r, ct))
        .Map<ListNodesRequest, ListNodesResponse>(NodeOperations.Prefix, "ListNodes", (r, _, ct) => nodes.ListNodesAsync(r, ct))
        .Map<RevokeNodeRequest>(NodeOperations.Prefix, "RevokeNode", (r, _, ct) => nodes.RevokeNodeAsync(r, ct))
        .Map<ReclaimNodeRequest, ReclaimNodeResponse>(NodeOperations.Prefix, "ReclaimNode", (r, _, ct) => nodes.ReclaimNodeAsync(r, ct));
}
