using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Networks;
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
    NetworkConfiguration? Network = null,
    string? DnsSearch = null);

/// <summary>
/// Places tasks with the pure scheduler over the capacity the launch gets (<see cref="LaunchTargets"/>: the cluster's
/// instances, a node group, or a Fargate pool), then commits the tasks together with the nodes' resources (and
/// the cluster, still ACTIVE), then hands each task to its node's agent. Launches of one replica take turns per cluster;
/// launches that wait for the turn and only need the cluster's own instances go together: placed one after another
/// from the cluster's index and committed at once, so a burst of RunTask calls costs one commit per turn, not one
/// each. Across replicas it is optimistic: a concurrent change means schedule again.
/// Nothing is half-created: a task that cannot be placed is not stored, and an awsvpc task's network interface is
/// stored with it (<see cref="InterfaceAllocation"/>).
/// </summary>
public sealed class TaskLauncher(Documents documents, EcsArns arns, ClusterStateCache cache, LaunchTargets targets, TaskDispatcher dispatcher,
    TimeProvider time, Random random)
{
    /// <summary>Capabilities ECS derived from roles; definitions registered before Gantry stopped deriving them may still name them.</summary>
    private static readonly string[] RoleCapabilities =
        ["com.amazonaws.ecs.capability.task-iam-role", "ecs.capability.execution-role-awslogs", "ecs.capability.execution-role-ecr-pull"];

    private const int MaxAttempts = 32; // the cluster document is hot while many tasks start and stop

    /// <summary>At most this many tasks are placed and committed in one turn (a larger launch goes alone).</summary>
    private const int TurnTasks = 1000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LaunchQueue> _queues = new(StringComparer.Ordinal);

    public async Task<(IReadOnlyList<EcsTask> Tasks, IReadOnlyList<Failure> Failures)> LaunchAsync(LaunchRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var queued = new QueuedLaunch(request, ct);
        var queue = _queues.GetOrAdd(request.Cluster, _ => new LaunchQueue());
        queue.Add(queued);
        using (await cache.Launches.EnterAsync(request.Cluster, ct).ConfigureAwait(false))
        {
            while (!queued.Done.Task.IsCompleted)
            {
                await RunTurnAsync(request.Cluster, queue.Take(TurnTasks, Shareable)).ConfigureAwait(false);
            }
        }
        return await queued.Done.Task.ConfigureAwait(false);
    }

    /// <summary>A launch that only needs the cluster's own instances, with no client token, can share a turn.</summary>
    private static bool Shareable(LaunchRequest request) =>
        request.ClientToken is null && request.TargetInstanceIds is null && request.Count <= TurnTasks
        && request.Capacity is null or { UsesStrategy: false, IsFargate: false };

    /// <summary>
    /// Places and commits one turn's launches and ends each with its tasks and failures, or its error. The turn runs to
    /// its end whatever its callers do (the launches of others ride on it).
    /// </summary>
    private async Task RunTurnAsync(string clusterName, List<QueuedLaunch> turn)
    {
        if (turn.Count == 0)
        {
            return;
        }
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var cluster = await documents.GetAsync<Cluster>(Kinds.Cluster, clusterName, CancellationToken.None).ConfigureAwait(false);
                if (cluster is not { Value.Status: "ACTIVE" })
                {
                    throw EcsErrors.ClusterNotFound();
                }
                var placed = turn.Count == 1 && !Shareable(turn[0].Request)
                    ? [await PlaceAloneAsync(turn[0].Request, CancellationToken.None).ConfigureAwait(false)]
                    : await PlaceTogetherAsync(clusterName, turn).ConfigureAwait(false);
                var interfaces = await InterfaceAllocation.ReadAsync(documents, arns.Account, turn.Select(l => AwsvpcOf(l.Request)).OfType<AwsVpcConfiguration>(),
                    CancellationToken.None).ConfigureAwait(false);
                var (ops, tasks) = Build(turn, placed, cluster, interfaces);
                if (tasks.Any(t => t.Count > 0)) // nothing placed: nothing to commit
                {
                    try
                    {
                        await documents.Store.CommitAsync(ops, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
                    {
                        await cache.CatchUpFullyAsync(CancellationToken.None).ConfigureAwait(false); // an instance or the cluster changed meanwhile: place again on fresh state
                        continue;
                    }
                }
                for (var i = 0; i < turn.Count; i++)
                {
                    foreach (var task in tasks[i])
                    {
                        dispatcher.Run(task);
                    }
                    if (placed[i].Error is { } error)
                    {
                        turn[i].Done.TrySetException(error);
                    }
                    else
                    {
                        turn[i].Done.TrySetResult(([.. tasks[i].Select(t => t.Task)], [.. placed[i].Failures.DistinctBy(f => (f.Arn, f.Reason))]));
                    }
                }
                return;
            }
        }
        catch (Exception e)
        {
            foreach (var launch in turn)
            {
                launch.Done.TrySetException(e);
            }
        }
    }

    /// <summary>Where one launch's tasks go: the nodes chosen with the capacity each came from, why the rest could not be
    /// placed, or why its placement could not be computed.</summary>
    private sealed record Placed(
        IReadOnlyList<(Candidate Node, LaunchTarget Target, Versioned<ContainerInstance> Stored)> Chosen, IReadOnlyList<Failure> Failures, Exception? Error = null);

    /// <summary>
    /// Places one launch over every target its capacity gives: the cluster's own instances, a node group, chosen
    /// instances, a Fargate pool.
    /// </summary>
    private async Task<Placed> PlaceAloneAsync(LaunchRequest request, CancellationToken ct)
    {
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
        return new Placed(chosen, failures);
    }

    /// <summary>Places a target's tasks: on all of the cluster's own instances from the cache's index, on a subset from the snapshot's candidates.</summary>
    private async Task<(PlacementResult Result, IReadOnlyDictionary<string, Versioned<ContainerInstance>> Stored)> PlaceAsync(
        LaunchRequest request, TaskDemand demand, LaunchTarget target, CancellationToken ct)
    {
        if (target.Provider is null && target.Pool is null && request.TargetInstanceIds is null)
        {
            var (result, instances, error) = (await cache.PlaceAsync(request.Cluster, [(demand, target.Count)], random, ct).ConfigureAwait(false))[0];
            return error is null ? (result!, instances) : throw error;
        }
        var placement = Placement.Place(demand, target.Count, [.. target.Instances.Select(i => target.Snapshot.Candidate(i.Value))], random);
        return (placement, target.Instances.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!), StringComparer.Ordinal));
    }

    /// <summary>Places launches that share a turn on the cluster's own instances, one after another from the cache's index.</summary>
    private async Task<IReadOnlyList<Placed>> PlaceTogetherAsync(string cluster, IReadOnlyList<QueuedLaunch> turn)
    {
        var own = LaunchTarget.OwnInstances(cluster);
        var placed = await cache.PlaceAsync(cluster,
            [.. turn.Select(l => (Demand(l.Request, TaskDemands.Reservation(l.Request.Definition, l.Request.Overrides), own), l.Request.Count))],
            random, CancellationToken.None).ConfigureAwait(false);
        return [.. placed.Select(p => p.Result is not { } result
            ? new Placed([], [], p.Error)
            : new Placed([.. result.Chosen.Select(c => (c, own, p.Instances[c.InstanceId]))],
                [.. result.Failures.Select(f => new Failure { Arn = string.IsNullOrEmpty(f.Arn) ? null : f.Arn, Reason = f.Reason })]))];
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

    /// <summary>An awsvpc launch's subnets and groups (null for other network modes).</summary>
    private static AwsVpcConfiguration? AwsvpcOf(LaunchRequest request) =>
        request.Definition.NetworkMode == NetworkModeValues.awsvpc ? request.Network?.AwsvpcConfiguration : null;

    /// <summary>
    /// The commit of a turn: every placed task (a task per chosen node, in each launch's order) with its network interface
    /// (awsvpc), each touched node once with all the resources its new tasks hold, the cluster rewritten as it is (its
    /// version moves, so a DeleteCluster that counted the tasks before this turn conflicts), and each launch's client
    /// token; and the tasks of each launch.
    /// </summary>
    private (List<WriteOp> Ops, List<TaskRecord>[] Tasks) Build(List<QueuedLaunch> turn, IReadOnlyList<Placed> placed, Versioned<Cluster> cluster,
        InterfaceAllocation interfaces)
    {
        var ops = new List<WriteOp>();
        var tasks = new List<TaskRecord>[turn.Count];
        var touched = new Dictionary<string, (LaunchTarget Target, Versioned<ContainerInstance> Stored, ContainerInstance Now)>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        for (var i = 0; i < turn.Count; i++)
        {
            var request = turn[i].Request;
            var reservation = TaskDemands.Reservation(request.Definition, request.Overrides);
            tasks[i] = [];
            foreach (var (candidate, target, stored) in placed[i].Chosen)
            {
                var record = NewTask(request, reservation, candidate, target, now);
                if (AwsvpcOf(request) is { } awsvpc)
                {
                    record = record with { Interface = interfaces.Allocate(record.Task.TaskArn!, awsvpc, record.Task.AvailabilityZone) };
                }
                tasks[i].Add(record);
                ops.Add(documents.Put(Kinds.Task, Kinds.InCluster(request.Cluster, record.Id), record, WriteOp.MustNotExist));
                var node = touched.TryGetValue(candidate.InstanceId, out var known) ? known : (Target: target, Stored: stored, Now: stored.Value);
                touched[candidate.InstanceId] = node with { Now = TaskLedger.Place(node.Now, record.Reservation()) };
            }
            if (request.ClientToken is { } token && tasks[i].Count > 0)
            {
                ops.Add(documents.Put(Kinds.TaskClientToken, Kinds.InCluster(request.Cluster, token), tasks[i].Select(t => t.Task.TaskArn!).ToList(), WriteOp.MustNotExist));
            }
        }
        foreach (var (id, (target, stored, updated)) in touched)
        {
            ops.Add(documents.Put(Kinds.ContainerInstance, Kinds.InCluster(target.InstanceCluster, id), updated, stored.Version));
        }
        ops.AddRange(interfaces.Writes());
        ops.Add(documents.Put(Kinds.Cluster, turn[0].Request.Cluster, cluster.Value, cluster.Version));
        return (ops, tasks);
    }

    private TaskRecord NewTask(LaunchRequest request, TaskReservation reservation, Candidate candidate, LaunchTarget target, DateTimeOffset now)
    {
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
        return new TaskRecord(task, request.Cluster, candidate.InstanceId, held.Cpu, held.Memory, held.Ports, request.Definition, request.ClientToken,
            Pool: target.Pool, NodeArn: fargate ? candidate.InstanceArn : null, Network: request.Network, DnsSearch: request.DnsSearch);
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
