namespace Gantry.Reconciliation;

/// <summary>A container instance of the cluster. Pass every registered instance: a task on an instance that is not
/// listed is treated as lost.</summary>
/// <param name="InstanceId">The container instance ID, matched against <see cref="ServiceTask.InstanceId"/>.</param>
/// <param name="Active">Whether its status is <c>ACTIVE</c> (not <c>DRAINING</c>, not deregistering).</param>
/// <param name="Draining">Whether its status is <c>DRAINING</c>: service tasks there are replaced elsewhere, within the
/// deployment configuration's percentages.</param>
/// <param name="Connected">Whether its agent is connected.</param>
/// <param name="DisconnectedSince">When its agent disconnected, if it is disconnected.</param>
/// <param name="MatchesPlacement">Whether the service's placement constraints admit the instance (what a
/// <c>DAEMON</c> service places by).</param>
public sealed record ServiceNode(
    string InstanceId,
    bool Active,
    bool Draining,
    bool Connected,
    DateTimeOffset? DisconnectedSince,
    bool MatchesPlacement);
