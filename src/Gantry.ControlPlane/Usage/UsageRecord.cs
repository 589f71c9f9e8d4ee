namespace Gantry.ControlPlane.Usage;

/// <summary>
/// What one stopped task cost (kind <c>usage</c>, key <see cref="Kinds.UsageKey"/>): written in the same commit that
/// stores the task as STOPPED, so it outlives the task document and is never written twice.
/// </summary>
/// <param name="Service">The service that started the task (its group <c>service:NAME</c>), or null for a standalone task.</param>
/// <param name="LaunchType">EC2 or FARGATE.</param>
/// <param name="Cpu">CPU units billed (1024 = 1 vCPU): the task's cpu, else the sum of its containers'.</param>
/// <param name="Memory">MiB billed (1024 = 1 GB): the task's memory, else the sum of its containers' memory or memoryReservation.</param>
/// <param name="BillingStart">When the image pull started (the task's start when it reported no pull).</param>
/// <param name="Stop">When the task stopped.</param>
/// <param name="BilledSeconds">Whole seconds from start to stop, rounded up, at least 60.</param>
public sealed record UsageRecord(
    string TaskArn,
    string Cluster,
    string? Service,
    string Family,
    int Revision,
    string LaunchType,
    string? CapacityProvider,
    int Cpu,
    int Memory,
    DateTimeOffset BillingStart,
    DateTimeOffset Stop,
    long BilledSeconds,
    double VcpuSeconds,
    double GbSeconds);
