using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gantry.Agent.Engine;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>What the endpoint tells about the node a task runs on.</summary>
/// <param name="AvailabilityZone">The node's <c>ecs.availability-zone</c> attribute.</param>
/// <param name="Subnet">The node bridge's subnet, where tasks with their own address live.</param>
/// <param name="Gateway">The bridge's address: a task's default gateway.</param>
public sealed record NodeFacts(string? AvailabilityZone, IPNetwork Subnet, IPAddress Gateway);

/// <summary>
/// Builds the v4 container and task documents from the agent's view of a task (pure: no I/O). Where EC2 and Fargate
/// differ, the task's launch type decides: Fargate shows the cluster ARN, task limits in vCPUs, <c>&lt;task id&gt;-&lt;10
/// digits&gt;</c> Docker ids and the container name as Docker name; EC2 the cluster name, CPU units and the runtime id.
/// </summary>
public static class MetadataDocuments
{
    public static ContainerMetadata Container(AgentTask task, AgentContainer container, NodeFacts node)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(node);
        var definition = task.Definition.ContainerDefinitions?.FirstOrDefault(d => d.Name == container.Name) ?? new ContainerDefinition { Name = container.Name };
        var fargate = IsFargate(task);
        var (clusterName, clusterArn) = Cluster(task);
        return new ContainerMetadata
        {
            DockerId = DockerId(task, container),
            Name = container.Name,
            DockerName = fargate ? container.Name : $"ecs-{task.Definition.Family}-{task.Definition.Revision}-{container.Name}-{Hex(container.RuntimeId)}",
            Image = definition.Image ?? "",
            ImageId = container.ImageDigest,
            Ports = container.Bindings is { Count: > 0 } bindings ? [.. bindings.Select(b => new PortMetadata(b.ContainerPort, b.Protocol, b.HostPort, b.BindIp))] : null,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["com.amazonaws.ecs.cluster"] = fargate ? clusterArn : clusterName,
                ["com.amazonaws.ecs.container-name"] = container.Name,
                ["com.amazonaws.ecs.task-arn"] = task.TaskArn,
                ["com.amazonaws.ecs.task-definition-family"] = task.Definition.Family ?? "",
                ["com.amazonaws.ecs.task-definition-version"] = Revision(task),
            },
            DesiredStatus = task.DesiredStatus == TaskStatus.Stopped ? ContainerStatus.Stopped : ContainerStatus.Running,
            KnownStatus = container.LastStatus,
            ExitCode = container.ExitCode,
            Limits = new LimitsMetadata(definition.Cpu ?? 0, definition.Memory ?? 0),
            CreatedAt = Timestamp(container.StartedAt),
            StartedAt = Timestamp(container.StartedAt),
            FinishedAt = Timestamp(container.FinishedAt),
            Type = "NORMAL",
            LogDriver = definition.LogConfiguration?.LogDriver,
            LogOptions = definition.LogConfiguration?.Options,
            Health = definition.HealthCheck is null ? null : new HealthMetadata(container.HealthStatus ?? HealthStatuses.Unknown),
            Networks = Networks(task, node),
            Snapshotter = fargate ? "overlayfs" : null,
        };
    }

    /// <param name="clockDrift">The node's clock error (shown for Fargate tasks).</param>
    /// <param name="storage">The task's writable storage (shown for Fargate tasks).</param>
    public static TaskMetadata Task(AgentTask task, NodeFacts node, ClockDriftMetadata? clockDrift = null, EphemeralStorageMetadata? storage = null, bool withTags = false)
    {
        ArgumentNullException.ThrowIfNull(task);
        var fargate = IsFargate(task);
        var (clusterName, clusterArn) = Cluster(task);
        return new TaskMetadata
        {
            Cluster = fargate ? clusterArn : clusterName,
            TaskArn = task.TaskArn,
            Family = task.Definition.Family ?? "",
            Revision = Revision(task),
            DesiredStatus = task.DesiredStatus,
            KnownStatus = task.LastStatus,
            Limits = TaskLimits(task, fargate),
            PullStartedAt = Timestamp(task.PullStartedAt),
            PullStoppedAt = Timestamp(task.PullStoppedAt),
            ExecutionStoppedAt = Timestamp(task.ExecutionStoppedAt),
            AvailabilityZone = node.AvailabilityZone,
            TaskTags = withTags ? new Dictionary<string, string>() : null,
            ContainerInstanceTags = withTags ? new Dictionary<string, string>() : null,
            LaunchType = task.Launch?.LaunchType is { Length: > 0 } launchType ? launchType : LaunchTypeValues.EC2,
            Containers = [.. task.Containers.Select(c => Container(task, c, node))],
            ClockDrift = fargate ? clockDrift : null,
            EphemeralStorageMetrics = fargate ? storage : null,
        };
    }

    /// <summary>The container's Docker id: on Fargate <c>&lt;32-hex task id&gt;-&lt;10 digits&gt;</c> (stable per container name), else its runtime id.</summary>
    public static string DockerId(AgentTask task, AgentContainer container)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(container);
        if (!IsFargate(task))
        {
            return container.RuntimeId;
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(container.Name));
        var digits = BitConverter.ToUInt64(hash, 0) % 10_000_000_000UL;
        return $"{task.Id}-{digits.ToString("D10", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Go's RFC 3339 with nanoseconds (trailing zeros dropped), in UTC; null when not set.</summary>
    public static string? Timestamp(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static bool IsFargate(AgentTask task) => task.Launch?.IsFargate == true;

    private static string Revision(AgentTask task) => (task.Definition.Revision ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>The cluster's name and ARN, from the RunTask message (either form) or else the task ARN.</summary>
    private static (string Name, string Arn) Cluster(AgentTask task)
    {
        var given = task.Launch?.Cluster;
        var fromArn = EcsArn.TryParseTask(task.TaskArn, out var cluster, out _) ? cluster : "default";
        var name = given is null ? fromArn : given.StartsWith("arn:", StringComparison.Ordinal) ? given[(given.LastIndexOf('/') + 1)..] : given;
        if (given?.StartsWith("arn:", StringComparison.Ordinal) == true)
        {
            return (name, given);
        }
        return EcsArn.TryParse(task.TaskArn, out var arn) ? (name, $"arn:{arn.Partition}:ecs:{arn.Region}:{arn.AccountId}:cluster/{name}") : (name, name);
    }

    /// <summary>The task-level size, when the definition (or its overrides) gives one: vCPUs on Fargate, CPU units on EC2.</summary>
    private static LimitsMetadata? TaskLimits(AgentTask task, bool fargate)
    {
        var cpu = Size(task.Overrides?.Cpu ?? task.Definition.Cpu, "vcpu");
        var memory = Size(task.Overrides?.Memory ?? task.Definition.Memory, "gb");
        if (cpu is null && memory is null)
        {
            return null;
        }
        return new LimitsMetadata(cpu is { } units && fargate ? (double)(units / 1024m) : (double?)cpu, (long?)memory);
    }

    /// <summary>"256" or "0.25 vCPU" (units), "512" or "1 GB" (MiB): a plain number, or ×1024 with the unit.</summary>
    private static decimal? Size(string? text, string unit)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var trimmed = text.Trim();
        var scaled = trimmed.EndsWith(unit, StringComparison.OrdinalIgnoreCase);
        var number = scaled ? trimmed[..^unit.Length].Trim() : trimmed;
        return decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value * (scaled ? 1024 : 1) : null;
    }

    /// <summary>The task's network: its own address (bridge: on the node bridge; awsvpc: in its subnet), or the mode alone (host, none).</summary>
    private static IReadOnlyList<NetworkMetadata> Networks(AgentTask task, NodeFacts node)
    {
        var mode = task.Definition.NetworkMode ?? "bridge";
        if (task.PrivateIp is not { } ip)
        {
            return [new NetworkMetadata { NetworkMode = mode }];
        }
        return
        [
            new NetworkMetadata
            {
                NetworkMode = mode,
                Ipv4Addresses = [ip],
                AttachmentIndex = mode == "awsvpc" ? 0 : null,
                MacAddress = mode == "awsvpc" ? Networking.TaskNetwork.MacAddress(task.Id) : null,
                Ipv4SubnetCidrBlock = mode != "awsvpc" ? null : task.Launch?.Interface is { } eni ? eni.Subnet.ToString() : node.Subnet.ToString(),
                SubnetGatewayIpv4Address = mode != "awsvpc" ? null
                    : task.Launch?.Interface is { } subnetEni ? $"{subnetEni.Gateway}/{subnetEni.PrefixLength}" : $"{node.Gateway}/{node.Subnet.PrefixLength}",
            },
        ];
    }

    private static string Hex(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..20];
}
