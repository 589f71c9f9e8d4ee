using System.Collections.Concurrent;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Tasks;
using Gantry.Reconciliation;
using Gantry.Scheduling;
using Gantry.Scheduling.Capacity;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Services;

/// <summary>
/// The level-triggered service controller: every interval, for each service, it reads the service, its tasks and
/// the cluster's instances, asks the pure <see cref="ServiceReconciler"/> what to do, and applies it — places tasks
/// with the scheduler, stops tasks, starts rollback deployments — then records deployments, counts and events.
/// </summary>
public sealed partial class ServiceController(Documents documents, TaskLauncher launcher, TaskStopper stopper, TaskDefinitionLookup definitions,
    ClusterStateCache cache, ServiceTargets serviceTargets, TimeProvider time, ILogger<ServiceController> logger)
{
    /// <summary>The longest time between two reconciliations.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>After a change, how long to gather further changes before reconciling.</summary>
    public static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(25);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _disconnectedSince = new(StringComparer.Ordinal);

    /// <summary>How long a node may be disconnected before its service tasks are replaced elsewhere.</summary>
    public TimeSpan DisconnectGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reconciles on every change of the store (batched for <see cref="Batch"/>) and at least every <see cref="Interval"/>.
    /// A round that cannot read the services (the store is unreachable) is logged and tried again at the next one: the
    /// controller runs beside the other leading loops and is started again only when the lead is, so it must not end.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var revision = documents.Store.CurrentRevision;
                try
                {
                    await ReconcileAllAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogRoundFailed(logger, e);
                }
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                tick.CancelAfter(Interval);
                try
                {
                    await documents.Store.WaitForChangeAsync(revision, tick.Token).ConfigureAwait(false);
                    await Task.Delay(Batch, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Nothing changed for a whole interval: reconcile anyway (time passes: grace periods, health).
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public async Task ReconcileAllAsync(CancellationToken ct)
    {
        string? after = null;
        while (true)
        {
            var page = await documents.ListAsync<ServiceRecord>(Kinds.Service, null, after, 200, ct).ConfigureAwait(false);
            foreach (var service in page.Where(s => s.Value.Service.Status != "INACTIVE"))
            {
                try
                {
                    await ReconcileAsync(service, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e, service.Value.Service.ServiceArn!);
                }
            }
            if (page.Count < 200)
            {
                return;
            }
            after = Kinds.InCluster(page[^1].Value.Cluster, page[^1].Value.Service.ServiceName!);
        }
    }

    private async Task ReconcileAsync(Versioned<ServiceRecord> stored, CancellationToken ct)
    {
        var record = stored.Value;
        var service = record.Service;
        var cluster = record.Cluster;
        var now = time.GetUtcNow();
        var deploymentIds = record.AllDeployments.Select(d => d.Id!).ToHashSet(StringComparer.Ordinal);
        var snapshot = await cache.SnapshotAsync(cluster, ct).ConfigureAwait(false);
        var tasks = snapshot.Tasks.Where(t => t.Task.Group == record.Group && deploymentIds.Contains(t.Task.StartedBy ?? "")).ToList();
        if (service.Status == "DRAINING")
        {
            await DrainAsync(stored, tasks, ct).ConfigureAwait(false);
            return;
        }
        var constraints = (service.PlacementConstraints ?? []).Where(c => c.Type == "memberOf").Select(c => ClusterQuery.Parse(c.Expression ?? "")).ToList();
        var nodes = snapshot.Instances.Where(i => i.Value.Status != "INACTIVE").Select(i => Node(snapshot, i.Value, constraints, now)).ToList();
        if (tasks.Any(t => t.Pool is not null) || LaunchCapacity.Of(service).IsFargate)
        {
            // Fargate tasks run on pool nodes, not on the cluster's instances: the pools' nodes are the service's nodes too.
            foreach (var provider in FargatePool.Providers)
            {
                var pool = await cache.SnapshotAsync(FargatePool.Of(provider), ct).ConfigureAwait(false);
                nodes.AddRange(pool.Instances.Where(i => i.Value.Status != "INACTIVE").Select(i => Node(pool, i.Value, [], now)));
            }
        }
        var events = new List<string>();
        var targets = new Dictionary<string, TaskTargets>(record.Targets ?? new Dictionary<string, TaskTargets>(), StringComparer.Ordinal);
        var health = await RegisterAsync(record, snapshot, tasks, targets, events, ct).ConfigureAwait(false);
        var registered = new Dictionary<string, bool>(record.Registered ?? new Dictionary<string, bool>(), StringComparer.Ordinal);
        var registeredIn = await DiscoverAsync(record, snapshot, tasks, registered, ct).ConfigureAwait(false);
        var configuration = service.DeploymentConfiguration!;
        var input = new ReconcileInput(
            new ServiceSpec(service.ServiceName!, service.SchedulingStrategy!, service.DesiredCount ?? 0, configuration.MinimumHealthyPercent ?? 100,
                configuration.MaximumPercent ?? 200, configuration.DeploymentCircuitBreaker?.Enable == true, configuration.DeploymentCircuitBreaker?.Rollback == true,
                TimeSpan.FromSeconds(service.HealthCheckGracePeriodSeconds ?? 0))
            {
                CapacityStrategy = PrimaryStrategy(record),
                LoadBalanced = service.LoadBalancers is { Count: > 0 },
            },
            [.. record.AllDeployments.Select(d => new DeploymentState(d.Id!, d.TaskDefinition!, d.Status!, d.RolloutState ?? "IN_PROGRESS", d.RolloutStateReason,
                d.FailedTasks ?? 0, d.CreatedAt ?? now, d.UpdatedAt ?? now))],
            [.. tasks.Select(t => WithTargets(ToServiceTask(t, now), service, targets.GetValueOrDefault(t.Id), health.GetValueOrDefault(t.Id)))], nodes, now, DisconnectGrace);
        var result = ServiceReconciler.Reconcile(input);
        await DeregisterAsync(service.ServiceName!, result.Drains, targets, events, now, ct).ConfigureAwait(false);
        await UndiscoverAsync(record with { RegisteredIn = registeredIn }, result.Drains.Concat(result.Stops).Select(s => s.TaskId), registered, ct).ConfigureAwait(false);
        foreach (var stop in result.Stops)
        {
            await stopper.StopAsync(cluster, stop.TaskId, TaskStopCodeValues.ServiceSchedulerInitiated, stop.Reason, ct).ConfigureAwait(false);
        }
        foreach (var launch in result.Launches)
        {
            events.AddRange(await LaunchAsync(record, launch, ct).ConfigureAwait(false));
        }
        var deployments = Merge(record.AllDeployments, result.Deployments);
        if (result.NewDeploymentTaskDefinitionArn is { } rollback)
        {
            deployments = [ServiceDeployments.NewDeployment(rollback, service.DesiredCount ?? 0, now, service.NetworkConfiguration, LaunchCapacity.Of(service)),
                .. deployments.Select(d => d.Status == "PRIMARY" ? d with { Status = "ACTIVE", UpdatedAt = now } : d)];
        }
        // As ECS counts them: running = in the RUNNING state (a task being stopped counts until it leaves it),
        // pending = wanted running and not there yet.
        var running = tasks.Where(t => t.Task.LastStatus == TaskStatus.Running).ToList();
        var pending = tasks.Where(t => t.Task.DesiredStatus == TaskStatus.Running && TaskStatus.IsStarting(t.Task.LastStatus)).ToList();
        deployments = [.. deployments.Select(d => d with
        {
            RunningCount = running.Count(t => t.Task.StartedBy == d.Id),
            PendingCount = pending.Count(t => t.Task.StartedBy == d.Id),
        })];
        var announce = result.SteadyState && !record.SteadyAnnounced;
        events.InsertRange(0, result.Events.Where(e => announce || !e.EndsWith("has reached a steady state.", StringComparison.Ordinal)));
        var live = tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in targets.Keys.Where(id => !live.Contains(id)).ToList())
        {
            targets.Remove(gone);
        }
        var next = (record.WithDeployments(deployments) with
        {
            SteadyAnnounced = result.SteadyState,
            Targets = targets.Count == 0 ? null : targets,
            Registered = registered.Count == 0 ? null : registered,
            RegisteredIn = registeredIn,
        });
        next = (next with
        {
            Service = next.Service with
            {
                TaskDefinition = deployments.FirstOrDefault(d => d.Status == "PRIMARY")?.TaskDefinition ?? service.TaskDefinition,
                RunningCount = running.Count,
                PendingCount = pending.Count,
            },
        }).WithEvents(events, now);
        if (Changed(record, next))
        {
            try
            {
                await documents.Store.CommitAsync([documents.Put(Kinds.Service, Kinds.InCluster(cluster, service.ServiceName!), next, stored.Version)], ct).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException)
            {
                // Updated meanwhile (UpdateService): the next round works from the new state.
            }
        }
    }

    private async Task<IEnumerable<string>> LaunchAsync(ServiceRecord record, TaskLaunch launch, CancellationToken ct)
    {
        var service = record.Service;
        var deployment = record.AllDeployments.First(d => d.Id == launch.DeploymentId);
        var definition = (await definitions.FindAsync(deployment.TaskDefinition, requireRevision: false, ct).ConfigureAwait(false))?.Value.Definition;
        if (definition is null)
        {
            return [$"(service {service.ServiceName}) was unable to place a task: task definition {deployment.TaskDefinition} not found."];
        }
        var capacity = deployment.CapacityProviderStrategy is { Count: > 0 } strategy
            ? new LaunchCapacity(null, strategy)
            : new LaunchCapacity(deployment.LaunchType ?? LaunchTypeValues.EC2, []);
        var (started, failures) = await launcher.LaunchAsync(new LaunchRequest(record.Cluster, definition, null, launch.Count, record.Group, launch.DeploymentId, [],
            [.. (service.PlacementConstraints ?? []).Select(c => new PlacementConstraintSpec(c.Type!, c.Expression))],
            [.. (service.PlacementStrategy ?? []).Select(s => PlacementStrategySpec.Of(s.Type!, s.Field))],
            launch.InstanceId is null ? null : [launch.InstanceId], null, capacity, deployment.NetworkConfiguration ?? service.NetworkConfiguration, record.DnsSearch),
            ct).ConfigureAwait(false);
        var events = new List<string>();
        if (started.Count > 0)
        {
            events.Add($"(service {service.ServiceName}) has started {started.Count} tasks: {string.Join(' ', started.Select(t => $"(task {EcsArns.TaskId(t.TaskArn!)})"))}.");
        }
        if (failures.Count > 0)
        {
            var reasons = string.Join(", ", failures.Select(f => f.Reason).Distinct());
            events.Add($"(service {service.ServiceName}) was unable to place a task because no container instance met all of its requirements. Reason: {reasons}.");
        }
        return events;
    }

    /// <summary>A deleted service (DRAINING): its registered tasks are deregistered and stopped once their groups'
    /// deregistration delay has passed (requests in flight finish), the others are stopped at once; when none is left
    /// the service becomes INACTIVE.</summary>
    private async Task DrainAsync(Versioned<ServiceRecord> stored, IReadOnlyList<TaskRecord> tasks, CancellationToken ct)
    {
        var record = stored.Value;
        var now = time.GetUtcNow();
        var live = tasks.Where(t => t.Task.LastStatus != TaskStatus.Stopped).ToList();
        var targets = new Dictionary<string, TaskTargets>(record.Targets ?? new Dictionary<string, TaskTargets>(), StringComparer.Ordinal);
        var drains = live.Where(t => t.Task.DesiredStatus == TaskStatus.Running && targets.GetValueOrDefault(t.Id) is { Registered: true })
            .Select(t => new TaskStop(t.Id, "Service deleted")).ToList();
        // Out of Cloud Map before anything stops (a repeat round finds them gone, which changes nothing).
        await UndiscoverAsync(record, record.Registered?.Keys ?? [], new Dictionary<string, bool>(record.Registered ?? new Dictionary<string, bool>()), ct)
            .ConfigureAwait(false);
        var events = new List<string>();
        await DeregisterAsync(record.Service.ServiceName!, drains, targets, events, now, ct).ConfigureAwait(false);
        foreach (var task in live.Where(t => t.Task.DesiredStatus == TaskStatus.Running))
        {
            if (targets.GetValueOrDefault(task.Id) is { DrainingUntil: { } until } && until > now)
            {
                continue; // out of its target groups, requests in flight finishing
            }
            await stopper.StopAsync(record.Cluster, task.Id, TaskStopCodeValues.ServiceSchedulerInitiated, "Service deleted", ct).ConfigureAwait(false);
        }
        if (live.Count > 0)
        {
            if (drains.Count > 0)
            {
                var draining = (record with { Targets = targets }).WithEvents([.. events, ServiceEvents.BegunDraining(record.Service.ServiceName!, drains.Count)], now);
                try
                {
                    await documents.Store.CommitAsync([documents.Put(Kinds.Service, Kinds.InCluster(record.Cluster, record.Service.ServiceName!), draining, stored.Version)], ct)
                        .ConfigureAwait(false);
                }
                catch (ConcurrencyConflictException)
                {
                    // Changed meanwhile: the next round deregisters again (which changes nothing) and records it.
                }
            }
            return;
        }
        var cluster = await documents.GetAsync<Cluster>(Kinds.Cluster, record.Cluster, ct).ConfigureAwait(false);
        var inactive = record with
        {
            Targets = null,
            Registered = null,
            RegisteredIn = null,
            Service = record.Service with
            {
                Status = "INACTIVE",
                RunningCount = 0,
                PendingCount = 0,
                Deployments = [.. (record.Service.Deployments ?? []).Select(d => d with { Status = "INACTIVE", RunningCount = 0, PendingCount = 0 })],
            },
        };
        var ops = new List<WriteOp> { documents.Put(Kinds.Service, Kinds.InCluster(record.Cluster, record.Service.ServiceName!), inactive, stored.Version) };
        if (cluster is not null)
        {
            ops.Add(documents.Put(Kinds.Cluster, record.Cluster, cluster.Value with { ActiveServicesCount = Math.Max(0, (cluster.Value.ActiveServicesCount ?? 1) - 1) }, cluster.Version));
        }
        try
        {
            await documents.Store.CommitAsync(ops, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
        }
    }

    private ServiceNode Node(ClusterSnapshot snapshot, ContainerInstance instance, IReadOnlyList<ClusterQuery> constraints, DateTimeOffset now)
    {
        var id = EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!);
        var connected = instance.AgentConnected == true;
        DateTimeOffset? since = null;
        if (connected)
        {
            _disconnectedSince.TryRemove(id, out _);
        }
        else
        {
            since = _disconnectedSince.GetOrAdd(id, now);
        }
        // Whether the service's constraints admit the instance as such, not what runs there: the service's own tasks
        // on it must not change the answer (the launcher checks the tasks when it places).
        var candidate = snapshot.Candidate(instance) with { Tasks = [] };
        return new ServiceNode(id, instance.Status == "ACTIVE", instance.Status == "DRAINING", connected, since, constraints.All(c => c.Evaluate(candidate)));
    }

    private static ServiceTask ToServiceTask(TaskRecord record, DateTimeOffset now)
    {
        var task = record.Task;
        var hasHealthCheck = TaskHealth.HasHealthCheck(record.Definition);
        var healthyWithoutCheck = !hasHealthCheck && TaskHealth.SettledWithoutCheck(task.StartedAt, task.StoppedAt ?? now);
        return new ServiceTask(record.Id, task.StartedBy ?? "", record.InstanceId, task.LastStatus ?? TaskStatus.Provisioning, task.DesiredStatus ?? TaskStatus.Running,
            task.HealthStatus ?? "UNKNOWN", hasHealthCheck, task.StartedAt, task.StoppedAt, record.EverHealthy || healthyWithoutCheck)
        {
            CapacityProvider = task.CapacityProviderName,
        };
    }

    private static IReadOnlyList<CapacityShare> PrimaryStrategy(ServiceRecord record) =>
        record.AllDeployments.FirstOrDefault(d => d.Status == "PRIMARY")?.CapacityProviderStrategy is { Count: > 0 } strategy
            ? new LaunchCapacity(null, strategy).Shares
            : [];

    private static List<Deployment> Merge(IReadOnlyList<Deployment> stored, IReadOnlyList<DeploymentState> states) =>
        [.. stored.Select(d => states.FirstOrDefault(s => s.Id == d.Id) is { } s ? d with
        {
            Status = s.Status,
            RolloutState = s.RolloutState,
            RolloutStateReason = s.RolloutStateReason ?? d.RolloutStateReason,
            FailedTasks = s.FailedTasks,
            UpdatedAt = s.UpdatedAt,
        } : d)];

    /// <summary>Whether a round changed what the controller writes: the steady-state flag, the deployments, the task
    /// definition, the counts and the events (only ever added to, so a new list means new events).</summary>
    private static bool Changed(ServiceRecord before, ServiceRecord after) =>
        after.SteadyAnnounced != before.SteadyAnnounced
        || !SameTargets(before.Targets, after.Targets)
        || before.RegisteredIn != after.RegisteredIn
        || !(before.Registered ?? new Dictionary<string, bool>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SequenceEqual((after.Registered ?? new Dictionary<string, bool>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        || after.Service.TaskDefinition != before.Service.TaskDefinition
        || after.Service.RunningCount != before.Service.RunningCount
        || after.Service.PendingCount != before.Service.PendingCount
        || !ReferenceEquals(after.Service.Events, before.Service.Events)
        || !(after.Service.Deployments ?? []).SequenceEqual(before.Service.Deployments ?? [])
        || !(after.Inactive ?? []).SequenceEqual(before.Inactive ?? []);

    private static bool SameTargets(IReadOnlyDictionary<string, TaskTargets>? before, IReadOnlyDictionary<string, TaskTargets>? after) =>
        (before?.Count ?? 0) == (after?.Count ?? 0)
        && (after ?? new Dictionary<string, TaskTargets>()).All(kv => before!.TryGetValue(kv.Key, out var old)
            && old.EverHealthy == kv.Value.EverHealthy && old.DrainingUntil == kv.Value.DrainingUntil && old.StopReason == kv.Value.StopReason
            && old.Targets.SequenceEqual(kv.Value.Targets));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of service reconciliation failed; trying again at the next one")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling {Service} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string service);
}
