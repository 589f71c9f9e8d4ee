using System.Text.Json.Serialization;

namespace Gantry.Agent.MetadataEndpoint;

// The task metadata endpoint v4's JSON, with ECS's exact member names (PascalCase, a few acronyms, Health in lower camel
// case). Members that are null are left out, as the ECS agent's omitempty does; the rest are always written.

/// <summary><c>GET /v4/&lt;id&gt;</c>: one container.</summary>
public sealed record ContainerMetadata
{
    public required string DockerId { get; init; }
    public required string Name { get; init; }
    public required string DockerName { get; init; }
    public required string Image { get; init; }
    [JsonPropertyName("ImageID")] public string? ImageId { get; init; }
    public IReadOnlyList<PortMetadata>? Ports { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required string DesiredStatus { get; init; }
    public required string KnownStatus { get; init; }
    public int? ExitCode { get; init; }
    public required LimitsMetadata Limits { get; init; }
    public string? CreatedAt { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
    public required string Type { get; init; }
    public string? LogDriver { get; init; }
    public IReadOnlyDictionary<string, string>? LogOptions { get; init; }
    [JsonPropertyName("ContainerARN")] public string? ContainerArn { get; init; }
    public HealthMetadata? Health { get; init; }
    public IReadOnlyList<NetworkMetadata>? Networks { get; init; }
    public string? Snapshotter { get; init; }
}

/// <summary><c>GET /v4/&lt;id&gt;/task</c> (and <c>/taskWithTags</c>, which adds the tag members).</summary>
public sealed record TaskMetadata
{
    public required string Cluster { get; init; }
    [JsonPropertyName("TaskARN")] public required string TaskArn { get; init; }
    public required string Family { get; init; }
    public required string Revision { get; init; }
    public required string DesiredStatus { get; init; }
    public required string KnownStatus { get; init; }
    public LimitsMetadata? Limits { get; init; }
    public string? PullStartedAt { get; init; }
    public string? PullStoppedAt { get; init; }
    public string? ExecutionStoppedAt { get; init; }
    public string? AvailabilityZone { get; init; }
    public IReadOnlyDictionary<string, string>? TaskTags { get; init; }
    public IReadOnlyDictionary<string, string>? ContainerInstanceTags { get; init; }
    public required string LaunchType { get; init; }
    public required IReadOnlyList<ContainerMetadata> Containers { get; init; }
    public ClockDriftMetadata? ClockDrift { get; init; }
    public EphemeralStorageMetadata? EphemeralStorageMetrics { get; init; }
    public bool FaultInjectionEnabled { get; init; }
}

/// <summary>CPU (units for containers and EC2 tasks, vCPUs for a Fargate task) and memory (MiB).</summary>
public sealed record LimitsMetadata([property: JsonPropertyName("CPU")] double? Cpu, long? Memory);

public sealed record PortMetadata(int ContainerPort, string Protocol, int HostPort, string HostIp);

public sealed record NetworkMetadata
{
    public required string NetworkMode { get; init; }
    [JsonPropertyName("IPv4Addresses")] public IReadOnlyList<string>? Ipv4Addresses { get; init; }
    public int? AttachmentIndex { get; init; }
    [JsonPropertyName("MACAddress")] public string? MacAddress { get; init; }
    [JsonPropertyName("IPv4SubnetCIDRBlock")] public string? Ipv4SubnetCidrBlock { get; init; }
    [JsonPropertyName("PrivateDNSName")] public string? PrivateDnsName { get; init; }
    public string? SubnetGatewayIpv4Address { get; init; }
}

/// <summary>A container's health check status (only with a health check); lower camel case, as ECS writes it.</summary>
public sealed record HealthMetadata([property: JsonPropertyName("status")] string Status);

/// <summary>How far the node's clock may be off (Fargate): the kernel's maximum error, in milliseconds.</summary>
public sealed record ClockDriftMetadata(double ClockErrorBound, string ReferenceTimestamp, string ClockSynchronizationStatus);

/// <summary>What the task's writable storage holds and may hold, in MiB (Fargate).</summary>
public sealed record EphemeralStorageMetadata(long Utilized, long Reserved);
