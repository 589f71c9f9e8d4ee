using Gantry.Store;

namespace Gantry.ControlPlane.Leadership;

/// <summary>
/// The store as the controllers see it: reads pass through; every commit carries a check that the lease is still at
/// the version this replica took it at, so a replica that lost the lead (paused, partitioned, or not yet aware of a
/// takeover) can decide nothing more. Not leading, it commits nothing.
/// </summary>
public sealed class FencedStateStore(IStateStore inner, LeaderElection election) : CommitDecorator(inner)
{
    /// <exception cref="ConcurrencyConflictException">This replica does not hold the lease (any more).</exception>
    public override Task<long> CommitAsync(IReadOnlyList<WriteOp> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var token = election.Token;
        if (token == 0)
        {
            throw new ConcurrencyConflictException(LeaseKinds.Kind, LeaseKinds.Lease, null, 0);
        }
        return Inner.CommitAsync([.. operations, new CheckOp(LeaseKinds.Kind, LeaseKinds.Lease, token)], cancellationToken);
    }
}
