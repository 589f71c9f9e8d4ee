using Gantry.Api.Front;
using Gantry.ControlPlane.Replicas;

namespace Gantry.Api.Replicas;

/// <summary>
/// Gantry's control-plane status API on the AWS JSON front door (target prefix <c>GantryCluster_20261207</c>, SigV4
/// signing name <c>gantry</c>): the replicas, the controllers' lease and the answering replica's store lag.
/// `gantry cluster status` calls it.
/// </summary>
public sealed class ClusterStatusOperations(ControlPlaneStatus status)
{
    public const string Prefix = "GantryCluster_20261207";

    /// <summary>The SigV4 service name clients sign these operations with (shared with the other Gantry APIs).</summary>
    public const string SigningName = "gantry";

    public async Task<GetClusterStatusResponse> GetClusterStatusAsync(CancellationToken ct)
    {
        var report = await status.ReadAsync(ct).ConfigureAwait(false);
        return new GetClusterStatusResponse
        {
            AnsweredBy = report.AnsweredBy,
            Replicas = [.. report.Replicas.Select(r => new ReplicaSummary
            {
                ReplicaId = r.Record.Id,
                Address = r.Record.Address,
                AgentAddress = r.Record.AgentAddress,
                Version = r.Record.Version,
                StartedAt = r.Record.StartedAt,
                LastSeen = r.Record.LastSeen,
                Stale = r.Stale,
                Leader = r.Leader,
                ConnectedAgents = r.Agents,
            })],
            Lease = report.Lease is not { } lease ? null : new LeaseSummary
            {
                Holder = lease.Holder,
                FencingToken = lease.FencingToken,
                AcquiredAt = lease.AcquiredAt,
                RenewedAt = lease.RenewedAt,
                LeaseAgeSeconds = Math.Round(Math.Max(0, (report.Now - (lease.RenewedAt ?? lease.AcquiredAt)).TotalSeconds), 3),
            },
            StoreRevision = report.StoreRevision,
            FollowedRevision = report.FollowedRevision,
            StoreLag = report.StoreLag,
        };
    }
}

/// <summary>Registers the status operation under <see cref="ClusterStatusOperations.Prefix"/>.</summary>
public static class ClusterStatusOperationsTable
{
    public static AwsOperationTable.Builder MapClusterStatus(this AwsOperationTable.Builder table, ClusterStatusOperations operations) => table
        .Service(ClusterStatusOperations.Prefix, ClusterStatusOperations.SigningName)
        .Map<GetClusterStatusRequest, GetClusterStatusResponse>(ClusterStatusOperations.Prefix, "GetClusterStatus", (_, _, ct) => operations.GetClusterStatusAsync(ct));
}
