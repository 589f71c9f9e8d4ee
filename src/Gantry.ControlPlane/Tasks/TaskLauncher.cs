using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
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
    string? ClientToken);

/// <summary>
/// Places tasks with the pure scheduler over the cluster's current instances, then commits the tasks together
/// with the instances' resources and the cluster's counters (optimistic: a concurrent change means schedule again),
/// then hands each task to its instance's agent. Nothing is half-created: a task that cannot be placed is not stored.
/// </summary>
public sealed class TaskLauncher(Documents documents, EcsArns arns, ContainerInstanceRegistry instances, TaskDispatcher dispatcher,
    TimeProvider time, Random random)
{
    private const int MaxAttempts = 32; // the cluster document is hot while many tasks start and stop

    public async Task<(IReadOnlyList<EcsTask> Tasks, IReadOnlyList<Failure> Failures)> LaunchAsync(LaunchRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            var cluster = await documents.GetAsync<Cluster>(Kinds.Cluster, request.Cluster, ct).ConfigureAwait(false);
            if (cluster is not { Value.Status: "ACTIVE" })
            {
                throw EcsErrors.ClusterNotFound();
            }
            var registered = (await instances.ListAsync(request.Cluster, ct).ConfigureAwait(false))
                .Where(i => i.Value.Status == "ACTIVE")
                .Where(i => request.TargetInstanceIds is null || request.TargetInstanceIds.Contains(EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!)))
                .ToList();
            var running = await ActiveTasksAsync(request.Cluster, ct).ConfigureAwait(false);
            var candidates = registered.Select(i => Candidate(i.Value, running)).ToList();
            var demand = new TaskDemand(request.Group, request.Definition.Family!, TaskDemands.Cpu(request.Definition, request.Overrides),
                TaskDemands.Memory(request.Definition, request.Overrides), TaskDemands.StaticPorts(request.Definition),
                [.. (request.Definition.RequiresAttributes ?? []).Select(a => (a.Name!, a.Value))], request.Constraints, request.Strategies);
            var placement = Placement.Place(demand, request.Count, candidates, random);
            var failures = placement.Failures.Select(f => new Failure { Arn = string.IsNullOrEmpty(f.Arn) ? null : f.Arn, Reason = f.Reason }).ToList();
            if (placement.Chosen.Count == 0)
            {
                return ([], failures);
            }
            var (ops, tasks) = Build(request, demand, placement.Chosen, registered, cluster);
            try
            {
                await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                continue; // an instance or the cluster changed meanwhile: place again on fresh state
            }
            foreach (var task in tasks)
            {
                dispatcher.Run(task);
            }
            return ([.. tasks.Select(t => t.Task)], failures);
        }
    }

    private (List<WriteOp> Ops, List<TaskRecord> Tasks) Build(LaunchRequest request, TaskDemand demand, IReadOnlyList<Candidate> chosen,
        IReadOnlyList<Versioned<ContainerInstance>> registered, Versioned<Cluster> cluster)
    {
        var ops = new List<WriteOp>();
        var tasks = new List<TaskRecord>();
        var touched = registered.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!), i => i.Value, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var candidate in chosen)
        {
            var id = Guid.NewGuid().ToString("N");
            var task = new EcsTask
            {
                TaskArn = $"arn:aws:ecs:{arns.Account.Region}:{arns.Account.AccountId}:task/{request.Cluster}/{id}",
                ClusterArn = arns.Cluster(request.Cluster),
                TaskDefinitionArn = request.Definition.TaskDefinitionArn,
                ContainerInstanceArn = candidate.InstanceArn,
                Overrides = request.Overrides ?? new TaskOverride { ContainerOverrides = [] },
                LastStatus = "PROVISIONING",
                DesiredStatus = "RUNNING",
                Cpu = demand.Cpu.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Memory = demand.Memory.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Containers = [.. (request.Definition.ContainerDefinitions ?? []).Select(c => new Container
                {
                    ContainerArn = $"arn:aws:ecs:{arns.Account.Region}:{arns.Account.AccountId}:container/{request.Cluster}/{id}/{Guid.NewGuid()}",
                    TaskArn = $"arn:aws:ecs:{arns.Account.Region}:{arns.Account.AccountId}:task/{request.Cluster}/{id}",
                    Name = c.Name,
                    Image = c.Image,
                    LastStatus = "PENDING",
                    NetworkBindings = [],
                    NetworkInterfaces = [],
                    HealthStatus = "UNKNOWN",
                    Cpu = (c.Cpu ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Memory = c.Memory?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MemoryReservation = c.MemoryReservation?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })],
                StartedBy = request.StartedBy,
                Group = request.Group,
                LaunchType = "EC2",
                Version = 1,
                CreatedAt = now,
                Tags = request.Tags,
                Attachments = [],
                Attributes = [new EcsAttribute { Name = "ecs.cpu-architecture", Value = candidate.Attributes.GetValueOrDefault("ecs.cpu-architecture") ?? "x86_64" }],
                AvailabilityZone = candidate.Attributes.GetValueOrDefault("ecs.availability-zone"),
                Connectivity = "CONNECTED",
                ConnectivityAt = now,
                HealthStatus = "UNKNOWN",
                EnableExecuteCommand = false,
                InferenceAccelerators = [],
                PlatformFamily = "Linux",
            };
            var record = new TaskRecord(task, request.Cluster, candidate.InstanceId, demand.Cpu, demand.Memory, demand.StaticTcpPorts, request.Definition, request.ClientToken);
            tasks.Add(record);
            ops.Add(documents.Put(Kinds.Task, $"{request.Cluster}/{id}", record, WriteOp.MustNotExist));
            touched[candidate.InstanceId] = TaskLedger.Place(touched[candidate.InstanceId], demand.Cpu, demand.Memory, demand.StaticTcpPorts);
        }
        foreach (var instance in registered.Where(i => chosen.Any(c => c.InstanceArn == i.Value.ContainerInstanceArn)))
        {
            var id = EcsArns.ContainerInstanceId(instance.Value.ContainerInstanceArn!);
            ops.Add(documents.Put(Kinds.ContainerInstance, ContainerInstanceRegistry.Key(request.Cluster, id), touched[id], instance.Version));
        }
        ops.Add(documents.Put(Kinds.Cluster, request.Cluster,
            cluster.Value with { PendingTasksCount = (cluster.Value.PendingTasksCount ?? 0) + tasks.Count }, cluster.Version));
        if (request.ClientToken is { } token)
        {
            ops.Add(documents.Put(ClientTokens.Kind, ClientTokens.Key(request.Cluster, token), tasks.Select(t => t.Task.TaskArn!).ToList(), WriteOp.MustNotExist));
        }
        return (ops, tasks);
    }

    /// <summary>Tasks that still hold resources in the cluster (not yet stopped and released).</summary>
    public async Task<IReadOnlyList<TaskRecord>> ActiveTasksAsync(string cluster, CancellationToken ct) =>
        [.. (await documents.ListAllAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster), ct).ConfigureAwait(false))
            .Select(t => t.Value).Where(t => t.Counted != TaskRecord.CountedNone)];

    private static Candidate Candidate(ContainerInstance instance, IReadOnlyList<TaskRecord> active)
    {
        var id = EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!);
        var (cpu, memory, ports) = TaskLedger.Remaining(instance);
        return new Candidate(id, instance.ContainerInstanceArn!, instance.Ec2InstanceId ?? id, instance.Status == "ACTIVE", instance.AgentConnected == true,
            cpu, memory, ports,
            (instance.Attributes ?? []).GroupBy(a => a.Name!).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal),
            [.. active.Where(t => t.InstanceId == id).Select(t => new PlacedTask(t.Id, t.Task.Group ?? "", t.Definition.Family ?? "", t.Task.TaskDefinitionArn))]);
    }
}

/// <summary>RunTask's clientToken: the tasks a token already launched, so a retried request starts nothing new.</summary>
public static class ClientTokens
{
    public const string Kind = "task-client-token";

    public static string Key(string cluster, string token) => $"{cluster}/{token}";
}
