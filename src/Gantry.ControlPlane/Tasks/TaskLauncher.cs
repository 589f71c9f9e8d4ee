using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Domain.Tasks;
using Gantry.Scheduling;
using Gantry.Store;

namespace Gantry.ControlPlane.Tasks;

/// <summary>What RunTask and StartTask ask for, already validated.</summary>
public sealed record LaunchRequest(
    string Cluster,
    TaskDefinition Definition,
    TaskOverride? Overrides,
    int Count,
    string Group,
    string? StartedBy,
    IReadOnlyList<Tag> Tags,
    IReadOnlyList<PlacementConstraintSpec> Constraints,
    IReadOnlyList<PlacementStrategySpec> Strategies,
    IReadOnlyList<string>? TargetInstanceIds,
    string? ClientToken,
    LaunchCapacity? Capacity = null,
    NetworkConfiguration? Network = null);

/// <summary>
/// Places tasks with the pure scheduler over the capacity the launch gets (<see cref="LaunchTargets"/>: the cluster's
/// instances, a node group, or a Fargate pool), then commits the tasks together with the nodes' resources (and
/// the cluster, still ACTIVE), then hands each task to its node's agent. Launches of one replica take turns per cluster;
/// across replicas it is optimistic: a concurrent change means schedule again.
/// Nothing is half-created: a task that cannot be placed is not stored.
/// </summary>
public sealed class TaskLauncher(Documents documents, EcsArns arns, ClusterStateCache cache, LaunchTargets targets, TaskDispatcher dispatcher,
    TimeProvider time, Random random)
{
    /// <summary>Capabilities ECS derived from roles; definitions registered before Gantry stopped deriving them may still name them.</summary>
    private static readonly string[] RoleCapabilities =
        ["com.amazonaws.ecs.capability.task-iam-role", "ecs.capability.execution-role-awslogs", "ecs.capability.execution-role-ecr-pull"];

    private const int MaxAttempts = 32; // the cluster document is hot while many tasks start and stop

    public async Task<(IReadOnlyList<EcsTask> Tasks, IReadOnlyList<Failure> Failures)> LaunchAsync(LaunchRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var turn = await cache.Launches.EnterAsync(request.Cluster, ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var cluster = await documents.GetAsync<Cluster>(Kinds.Cluster, request.Cluster, ct).ConfigureAwait(false);
            if (cluster is not { Value.Status: "ACTIVE" })
            {
                throw EcsErrors.ClusterNotFound();
            }
            var snapshot = await cache.SnapshotAsync(request.Cluster, ct).ConfigureAwait(false);
            var reservation = TaskDemands.Reservation(request.Definition, request.Overrides);
            var chosen = new List<(Candidate Node, LaunchTarget Target, Versioned<ContainerInstance> Stored)>();
            var failures = new List<Failure>();
            foreach (var target in await targets.ForAsync(request, snapshot, ct).ConfigureAwait(false))
            {
                var (placement, stored) = await PlaceAsync(request, Demand(request, reservation, target), target, ct).ConfigureAwait(false);
                chosen.AddRange(placement.Chosen.Select(c => (c, target, stored[c.InstanceId])));
                failures.AddRange(placement.Failures.Select(f => new Failure
                {
                    Arn = string.IsNullOrEmpty(f.Arn) || target.IsFargate ? null : f.Arn,
                    Reason = target.Provider is not null && f.Reason == PlacementFailureReasons.NoContainerInstances
                        ? $"No Container Instances were found in your capacity provider {target.Provider}."
                        : f.Reason,
                }));
            }
            if (chosen.Count == 0)
            {
                return ([], [.. failures.DistinctBy(f => (f.Arn, f.Reason))]);
            }
            var (ops, tasks) = Build(request, reservation, chosen, cluster);
            try
            {
                await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                await cache.CatchUpFullyAsync(ct).ConfigureAwait(false); // an instance or the cluster changed meanwhile: place again on fresh state
                continue;
            }
            foreach (var task in tasks)
            {
                dispatcher.Run(task);
            }
            return ([.. tasks.Select(t => t.Task)], [.. failures.DistinctBy(f => (f.Arn, f.Reason))]);
        }
    }

    /// <summary>
    /// Places a target's tasks: on all of the cluster's own instances from the cache's index (no view of the cluster is
    /// built), on a subset (a node group, chosen instances, a Fargate pool) from the snapshot's candidates.
    /// </summary>
    private async Task<(PlacementResult Result, IReadOnlyDictionary<string, Versioned<ContainerInstance>> Stored)> PlaceAsync(
        LaunchRequest request, TaskDemand demand, LaunchTarget target, CancellationToken ct)
    {
        if (target.Provider is null && target.Pool is null && request.TargetInstanceIds is null)
        {
            return await cache.PlaceAsync(request.Cluster, demand, target.Count, random, ct).ConfigureAwait(false);
        }
        var placement = Placement.Place(demand, target.Count, [.. target.Instances.Select(i => target.Snapshot.Candidate(i.Value))], random);
        return (placement, target.Instances.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!), StringComparer.Ordinal));
    }

    /// <summary>
    /// What each task needs of a node. A Fargate task needs only the pool node's resources, CPU architecture and (public IP) ports: the pool
    /// runs any definition its agents accept, with no placement constraints or strategies but spreading over nodes.
    /// </summary>
    private static TaskDemand Demand(LaunchRequest request, TaskReservation reservation, LaunchTarget target)
    {
        if (target.IsFargate)
        {
            IReadOnlyList<(string, string?)> architecture = request.Definition.RuntimePlatform?.CpuArchitecture is { } arch
                ? [("ecs.cpu-architecture", string.Equals(arch, "ARM64", StringComparison.OrdinalIgnoreCase) ? "arm64" : "x86_64")]
                : [];
            return new TaskDemand(request.Group, request.Definition.Family!, reservation.Cpu, reservation.Memory, FargatePorts(request), architecture, [],
                [PlacementStrategySpec.Of("spread", "instanceId")]);
        }
        return new TaskDemand(request.Group, request.Definition.Family!, reservation.Cpu, reservation.Memory, reservation.Ports,
            [.. (request.Definition.RequiresAttributes ?? []).Where(a => !RoleCapabilities.Contains(a.Name)).Select(a => (a.Name!, a.Value))],
            request.Constraints, request.Strategies);
    }

    private (List<WriteOp> Ops, List<TaskRecord> Tasks) Build(LaunchRequest request, TaskReservation reservation,
        IReadOnlyList<(Candidate Node, LaunchTarget Target, Versioned<ContainerInstance> Stored)> chosen, Versioned<Cluster> cluster)
    {
        var ops = new List<WriteOp>();
        var tasks = new List<TaskRecord>();
        var touched = new Dictionary<string, (LaunchTarget Target, Versioned<ContainerInstance> Stored, ContainerInstance Now)>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var (candidate, target, stored) in chosen)
        {
            if (!touched.TryGetValue(candidate.InstanceId, out _))
            {
                touched[candidate.InstanceId] = (target, stored, stored.Value);
            }
            var fargate = target.IsFargate;
            var id = Guid.NewGuid().ToString("N");
            var taskArn = arns.Task(request.Cluster, id);
            var task = new EcsTask
            {
                TaskArn = taskArn,
                ClusterArn = arns.Cluster(request.Cluster),
                TaskDefinitionArn = request.Definition.TaskDefinitionArn,
                ContainerInstanceArn = fargate ? null : candidate.InstanceArn,
                CapacityProviderName = target.Provider,
                Overrides = request.Overrides ?? new TaskOverride { ContainerOverrides = [] },
                LastStatus = TaskStatus.Provisioning,
                DesiredStatus = TaskStatus.Running,
                Cpu = reservation.Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Memory = reservation.Memory.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Containers = [.. (request.Definition.ContainerDefinitions ?? []).Select(c => new Container
                {
                    ContainerArn = arns.Container(request.Cluster, id, Guid.NewGuid().ToString()),
                    TaskArn = taskArn,
                    Name = c.Name,
                    Image = c.Image,
                    LastStatus = ContainerStatus.Pending,
                    NetworkBindings = [],
                    NetworkInterfaces = [],
                    HealthStatus = "UNKNOWN",
                    Cpu = (c.Cpu ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Memory = c.Memory?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MemoryReservation = c.MemoryReservation?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })],
                StartedBy = request.StartedBy,
                Group = request.Group,
                LaunchType = fargate ? LaunchTypeValues.FARGATE : LaunchTypeValues.EC2,
                PlatformVersion = fargate ? FargatePool.PlatformVersion : null,
                EphemeralStorage = fargate ? new EphemeralStorage { SizeInGiB = EphemeralStorageGib(request) } : null,
                FargateEphemeralStorage = fargate ? new TaskEphemeralStorage { SizeInGiB = EphemeralStorageGib(request) } : null,
                Version = 1,
                CreatedAt = now,
                Tags = request.Tags,
                Attachments = request.Definition.NetworkMode == NetworkModeValues.awsvpc
                    ? [TaskAttachments.Precreated(taskArn, request.Network?.AwsvpcConfiguration?.Subnets is [var subnet, ..] ? subnet : null)]
                    : [],
                Attributes = [new EcsAttribute { Name = "ecs.cpu-architecture", Value = candidate.Attributes.GetValueOrDefault("ecs.cpu-architecture") ?? "x86_64" }],
                AvailabilityZone = candidate.Attributes.GetValueOrDefault("ecs.availability-zone"),
                Connectivity = "CONNECTED",
                ConnectivityAt = now,
                HealthStatus = "UNKNOWN",
                EnableExecuteCommand = false,
                InferenceAccelerators = [],
                PlatformFamily = "Linux",
            };
            var held = fargate ? reservation with { Ports = FargatePorts(request) } : reservation;
            var record = new TaskRecord(task, request.Cluster, candidate.InstanceId, held.Cpu, held.Memory, held.Ports, request.Definition, request.ClientToken,
                Pool: target.Pool, NodeArn: fargate ? candidate.InstanceArn : null, Network: request.Network);
            tasks.Add(record);
            ops.Add(documents.Put(Kinds.Task, Kinds.InCluster(request.Cluster, id), record, WriteOp.MustNotExist));
            var node = touched[candidate.InstanceId];
            touched[candidate.InstanceId] = node with { Now = TaskLedger.Place(node.Now, held) };
        }
        foreach (var (id, (target, stored, updated)) in touched)
        {
            ops.Add(documents.Put(Kinds.ContainerInstance, Kinds.InCluster(target.InstanceCluster, id), updated, stored.Version));
        }
        // Rewritten as it is: its version moves, so a DeleteCluster that counted the tasks before this launch conflicts.
        ops.Add(documents.Put(Kinds.Cluster, request.Cluster, cluster.Value, cluster.Version));
        if (request.ClientToken is { } token)
        {
            ops.Add(documents.Put(Kinds.TaskClientToken, Kinds.InCluster(request.Cluster, token), tasks.Select(t => t.Task.TaskArn!).ToList(), WriteOp.MustNotExist));
        }
        return (ops, tasks);
    }

    /// <summary>
    /// The pool node ports a Fargate task holds: none behind its own address, its container ports when it has a public IP
    /// (published on the node's address, so two such tasks with one port never share a node: RESOURCE:PORTS).
    /// </summary>
    private static IReadOnlyList<int> FargatePorts(LaunchRequest request) =>
        request.Network?.AwsvpcConfiguration?.AssignPublicIp == AssignPublicIpValues.ENABLED ? TaskDemands.PublicPorts(request.Definition) : [];

    /// <summary>A Fargate task's ephemeral storage: the override's, the definition's, else Fargate's default of 20 GiB.</summary>
    private static int EphemeralStorageGib(LaunchRequest request) =>
        request.Overrides?.EphemeralStorage?.SizeInGiB ?? (request.Definition.EphemeralStorage?.SizeInGiB is > 0 and var size ? size : FargatePool.DefaultEphemeralStorageGib);
}
