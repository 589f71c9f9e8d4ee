using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Instances;
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
            var snapshot = await ClusterSnapshot.ReadAsync(documents, instances, request.Cluster, ct).ConfigureAwait(false);
            var registered = snapshot.Instances
                .Where(i => i.Value.Status == "ACTIVE")
                .Where(i => request.TargetInstanceIds is null || request.TargetInstanceIds.Contains(EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!)))
                .ToList();
            var candidates = registered.Select(i => snapshot.Candidate(i.Value)).ToList();
            var reservation = TaskDemands.Reservation(request.Definition, request.Overrides);
            var demand = new TaskDemand(request.Group, request.Definition.Family!, reservation.Cpu, reservation.Memory, reservation.Ports,
                [.. (request.Definition.RequiresAttributes ?? []).Select(a => (a.Name!, a.Value))], request.Constraints, request.Strategies);
            var placement = Placement.Place(demand, request.Count, candidates, random);
            var failures = placement.Failures.Select(f => new Failure { Arn = string.IsNullOrEmpty(f.Arn) ? null : f.Arn, Reason = f.Reason }).ToList();
            if (placement.Chosen.Count == 0)
            {
                return ([], failures);
            }
            var (ops, tasks) = Build(request, reservation, placement.Chosen, registered, cluster);
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

    private (List<WriteOp> Ops, List<TaskRecord> Tasks) Build(LaunchRequest request, TaskReservation reservation, IReadOnlyList<Candidate> chosen,
        IReadOnlyList<Versioned<ContainerInstance>> registered, Versioned<Cluster> cluster)
    {
        var ops = new List<WriteOp>();
        var tasks = new List<TaskRecord>();
        var touched = registered.ToDictionary(i => EcsArns.ContainerInstanceId(i.Value.ContainerInstanceArn!), i => i.Value, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var candidate in chosen)
        {
            var id = Guid.NewGuid().ToString("N");
            var taskArn = arns.Task(request.Cluster, id);
            var task = new EcsTask
            {
                TaskArn = taskArn,
                ClusterArn = arns.Cluster(request.Cluster),
                TaskDefinitionArn = request.Definition.TaskDefinitionArn,
                ContainerInstanceArn = candidate.InstanceArn,
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
            var record = new TaskRecord(task, request.Cluster, candidate.InstanceId, reservation.Cpu, reservation.Memory, reservation.Ports, request.Definition, request.ClientToken);
            tasks.Add(record);
            ops.Add(documents.Put(Kinds.Task, Kinds.InCluster(request.Cluster, id), record, WriteOp.MustNotExist));
            touched[candidate.InstanceId] = TaskLedger.Place(touched[candidate.InstanceId], reservation);
        }
        foreach (var instance in registered.Where(i => chosen.Any(c => c.InstanceArn == i.Value.ContainerInstanceArn)))
        {
            var id = EcsArns.ContainerInstanceId(instance.Value.ContainerInstanceArn!);
            ops.Add(documents.Put(Kinds.ContainerInstance, Kinds.InCluster(request.Cluster, id), touched[id], instance.Version));
        }
        ops.Add(documents.Put(Kinds.Cluster, request.Cluster,
            cluster.Value with { PendingTasksCount = (cluster.Value.PendingTasksCount ?? 0) + tasks.Count }, cluster.Version));
        if (request.ClientToken is { } token)
        {
            ops.Add(documents.Put(Kinds.TaskClientToken, Kinds.InCluster(request.Cluster, token), tasks.Select(t => t.Task.TaskArn!).ToList(), WriteOp.MustNotExist));
        }
        return (ops, tasks);
    }
}
