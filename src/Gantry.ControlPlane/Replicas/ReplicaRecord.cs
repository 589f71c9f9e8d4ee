namespace Gantry.ControlPlane.Replicas;

/// <summary>
/// A control-plane replica's heartbeat (kind <c>replica</c>, key its replica id), rewritten every
/// <see cref="ReplicaHeartbeat.Interval"/> on a shared store: what `gantry cluster status` lists.
/// </summary>
/// <param name="Address">Its AWS API endpoint, as it bound it.</param>
/// <param name="AgentAddress">Its agents' gRPC endpoint.</param>
/// <param name="Version">The gantry version it runs.</param>
public sealed record ReplicaRecord(string Id, string Address, string AgentAddress, string Version, DateTimeOffset StartedAt, DateTimeOffset LastSeen);
