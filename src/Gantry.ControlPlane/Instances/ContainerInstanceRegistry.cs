using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.ControlPlane.Instances;

/// <summary>What a node offers when it registers: resources in ECS units and its attributes.</summary>
/// <param name="Reclaimed">Whether the node is reclaimed Fargate Spot capacity: its pool node stays DRAINING. A pool node
/// registering otherwise is ACTIVE (a machine that joined again after its reclaim serves again).</param>
public sealed record NodeRegistration(string Cluster, string Ec2InstanceId, int CpuUnits, int MemoryMib, IReadOnlyList<int> ReservedPorts,
    IReadOnlyList<KeyValuePair<string, string>> Attributes, string AgentVersion, string AgentHash, bool Reclaimed = false);

/// <summary>
/// Container instance documents (<c>container-instance</c>, key <c>&lt;cluster&gt;/&lt;id&gt;</c>); the cluster's
/// registeredContainerInstancesCount is counted from them. A node re-registering with the same
/// ec2InstanceId keeps its container instance (as the ECS agent does after a restart). A Fargate pool's nodes are
/// stored the same way under the pool's internal name, counted by no cluster.
/// </summary>
public sealed class ContainerInstanceRegistry(Documents documents, EcsArns arns, ClusterStateCache clusters, TimeProvider time)
{
    private const int MaxAttempts = 8;

    public async Task<ContainerInstance> RegisterAsync(NodeRegistration node, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(node);
        for (var attempt = 1; ; attempt++)
        {
            var pool = FargatePool.IsPool(node.Cluster);
            var cluster = pool ? null : await documents.GetAsync<Cluster>(Kinds.Cluster, node.Cluster, ct).ConfigureAwait(false);
            if (!pool && cluster is not { Value.Status: "ACTIVE" })
            {
                throw EcsErrors.ClusterNotFound($"Cluster '{node.Cluster}' not found: create it before registering instances.");
            }
            var existing = await clusters.FindByEc2InstanceAsync(node.Cluster, node.Ec2InstanceId, ct).ConfigureAwait(false);
            var id = existing is null ? Guid.NewGuid().ToString("N") : EcsArns.ContainerInstanceId(existing.Value.ContainerInstanceArn!);
            var registered = Resources(node.CpuUnits, node.MemoryMib, node.ReservedPorts);
            var attributes = node.Attributes
                .Select(a => new EcsAttribute { Name = a.Key, Value = a.Value })
                .Concat((existing?.Value.Attributes ?? []).Where(a => IsCustom(a.Name) && node.Attributes.All(n => n.Key != a.Name)))
                .ToList();
            var instance = (existing?.Value ?? new ContainerInstance
            {
                ContainerInstanceArn = arns.ContainerInstance(node.Cluster, id),
                Ec2InstanceId = node.Ec2InstanceId,
                Status = "ACTIVE",
                RegisteredAt = time.GetUtcNow(),
                RunningTasksCount = 0,
                PendingTasksCount = 0,
                Version = 0,
                Tags = [],
                Attachments = [],
            }) with
            {
                // Users never manage pool nodes: only a reclaim drains one.
                Status = pool ? (node.Reclaimed ? ContainerInstanceStatusValues.DRAINING : ContainerInstanceStatusValues.ACTIVE) : existing?.Value.Status ?? "ACTIVE",
                RegisteredResources = registered,
                RemainingResources = existing?.Value.RemainingResources ?? registered,
                AgentConnected = true,
                VersionInfo = new VersionInfo { AgentVersion = node.AgentVersion, AgentHash = node.AgentHash },
                Attributes = attributes,
                Version = (existing?.Value.Version ?? 0) + 1,
            };
            var ops = new List<WriteOp> { documents.Put(Kinds.ContainerInstance, Kinds.InCluster(node.Cluster, id), instance, existing?.Version ?? WriteOp.MustNotExist) };
            if (existing is null && cluster is not null)
            {
                // Registered only while the cluster stays as read (a DeleteCluster in between refuses it); the count is
                // the instances' own, so registrations never contend on the cluster document.
                ops.Add(new CheckOp(Kinds.Cluster, node.Cluster, cluster.Version));
            }
            try
            {
                await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
                return instance;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>Marks an instance's agent connected or not (heartbeats, stream open and close).</summary>
    public async Task SetConnectedAsync(string cluster, string id, bool connected, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(cluster, id), ct).ConfigureAwait(false);
            if (current is null || current.Value.AgentConnected == connected)
            {
                return;
            }
            var changed = current.Value with { AgentConnected = connected, Version = current.Value.Version + 1 };
            try
            {
                await documents.Store.CommitAsync([documents.Put(Kinds.ContainerInstance, Kinds.InCluster(cluster, id), changed, current.Version)], ct).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    public Task<IReadOnlyList<Versioned<ContainerInstance>>> ListAsync(string cluster, CancellationToken ct) =>
        documents.ListAllAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(cluster), ct);

    public Task<Versioned<ContainerInstance>?> FindAsync(string cluster, string reference, CancellationToken ct) =>
        documents.GetAsync<ContainerInstance>(Kinds.ContainerInstance, Kinds.InCluster(cluster, EcsArns.ContainerInstanceId(reference)), ct);

    /// <summary>Attributes Gantry sets itself start with "ecs."; the rest were put by users and survive re-registration.</summary>
    public static bool IsCustom(string? name) => name is not null && !name.StartsWith("ecs.", StringComparison.Ordinal);

    private static List<Resource> Resources(int cpu, int memory, IReadOnlyList<int> ports) =>
    [
        new() { Name = "CPU", Type = "INTEGER", IntegerValue = cpu, DoubleValue = 0, LongValue = 0 },
        new() { Name = "MEMORY", Type = "INTEGER", IntegerValue = memory, DoubleValue = 0, LongValue = 0 },
        new() { Name = "PORTS", Type = "STRINGSET", StringSetValue = [.. ports.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))], DoubleValue = 0, LongValue = 0, IntegerValue = 0 },
        new() { Name = "PORTS_UDP", Type = "STRINGSET", StringSetValue = [], DoubleValue = 0, LongValue = 0, IntegerValue = 0 },
    ];
}
