using Gantry.ControlPlane.Agents;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Instances;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Elbv2;
using Gantry.Domain.Json;
using Gantry.Domain.Tasks;
using Gantry.Store;
using Gantry.Store.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using LoadBalancer = Gantry.Domain.Ecs.LoadBalancer;
using TaskStatus = Gantry.Domain.Tasks.TaskStatus;

namespace Gantry.ControlPlane.Tests.LoadBalancing;

/// <summary>The service controller over a real SQLite store with a fake clock: a bridge task registered as an instance
/// target when RUNNING, deregistered and drained before the service stops it, deregistered at once when it stops on its own.</summary>
public sealed class ServiceTargetsControllerTests : IAsyncLifetime
{
    private const string Cluster = "lb";
    private const string Deployment = "ecs-svc/1000000000000000001";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-lb-").FullName;
    private readonly FakeTimeProvider _time = new(T0);
    private readonly EcsArns _arns = new(AwsAccount.Default);
    private readonly string _group = new ElbArns(AwsAccount.Default).TargetGroup("web", "0123456789abcdef");
    private SqliteStateStore _store = null!;
    private Documents _documents = null!;
    private ServiceController _controller = null!;
    private string _taskId = "";

    public async Task InitializeAsync()
    {
        _store = await SqliteStateStore.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None);
        _documents = new Documents(_store, AwsJson.Options);
        var clusters = new ClusterStateCache(_documents);
        var instances = new ContainerInstanceRegistry(_documents, _arns, clusters, _time);
        var dispatcher = new TaskDispatcher(new AgentSessions());
        var launcher = new TaskLauncher(_documents, _arns, clusters, new LaunchTargets(clusters, new CapacityProviderDirectory(_documents)), dispatcher,
            _time, new Random(1));
        var registry = new TargetRegistry(_documents, new ElbArns(AwsAccount.Default), _time);
        _controller = new ServiceController(_documents, launcher, new TaskStopper(_documents, dispatcher, _time), new TaskDefinitionLookup(_documents, _arns),
            clusters, new ServiceTargets(_documents, registry), _time, NullLogger<ServiceController>.Instance);
        await SeedAsync(instances);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_running_task_is_registered_then_drained_before_it_is_stopped()
    {
        await _controller.ReconcileAllAsync(CancellationToken.None);
        var target = Assert.Single((await GroupAsync()).Targets);
        Assert.Equal(("i-node1", 32768, (DateTimeOffset?)null), (target.Id, target.Port, target.DrainingSince));
        Assert.Contains($"(service web) registered 1 targets in (target-group {_group})", await EventsAsync());

        await HealthAsync("healthy");
        await _documents.UpdateAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(Cluster, "web"),
            r => r! with { Service = r.Service with { DesiredCount = 0 } }, CancellationToken.None);
        await _controller.ReconcileAllAsync(CancellationToken.None);
        Assert.Equal(T0, Assert.Single((await GroupAsync()).Targets).DrainingSince);
        Assert.Equal(TaskStatus.Running, (await TaskAsync()).Task.DesiredStatus);
        var events = await EventsAsync();
        Assert.Contains($"(service web) deregistered 1 targets in (target-group {_group})", events);
        Assert.Contains("(service web) has begun draining connections on 1 tasks.", events);

        _time.Advance(TimeSpan.FromSeconds(29));
        await _controller.ReconcileAllAsync(CancellationToken.None);
        Assert.Equal(TaskStatus.Running, (await TaskAsync()).Task.DesiredStatus);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _controller.ReconcileAllAsync(CancellationToken.None);
        var stopped = (await TaskAsync()).Task;
        Assert.Equal((TaskStatus.Stopped, $"Scaling activity initiated by (deployment {Deployment})"), (stopped.DesiredStatus, stopped.StoppedReason));
        Assert.Contains($"(service web) has stopped 1 running tasks: (task {_taskId}).", await EventsAsync());
    }

    [Fact]
    public async Task Deleting_the_service_drains_its_registered_task_before_stopping_it()
    {
        await _controller.ReconcileAllAsync(CancellationToken.None);
        await HealthAsync("healthy");
        await _documents.UpdateAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(Cluster, "web"),
            r => r! with { Service = r.Service with { Status = "DRAINING", DesiredCount = 0 } }, CancellationToken.None);

        await _controller.ReconcileAllAsync(CancellationToken.None);
        Assert.Equal(T0, Assert.Single((await GroupAsync()).Targets).DrainingSince);
        Assert.Equal(TaskStatus.Running, (await TaskAsync()).Task.DesiredStatus);
        Assert.Contains("(service web) has begun draining connections on 1 tasks.", await EventsAsync());

        _time.Advance(TimeSpan.FromSeconds(29));
        await _controller.ReconcileAllAsync(CancellationToken.None);
        Assert.Equal(TaskStatus.Running, (await TaskAsync()).Task.DesiredStatus);
        Assert.Equal(T0, Assert.Single((await GroupAsync()).Targets).DrainingSince);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _controller.ReconcileAllAsync(CancellationToken.None);
        var stopped = (await TaskAsync()).Task;
        Assert.Equal((TaskStatus.Stopped, "Service deleted"), (stopped.DesiredStatus, stopped.StoppedReason));
    }

    [Fact]
    public async Task A_task_that_stops_on_its_own_is_deregistered_at_once()
    {
        await _controller.ReconcileAllAsync(CancellationToken.None);
        await _documents.UpdateAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(Cluster, _taskId),
            t => t! with { Task = t.Task with { LastStatus = TaskStatus.Stopped, DesiredStatus = TaskStatus.Stopped, StoppedAt = T0 } }, CancellationToken.None);

        await _controller.ReconcileAllAsync(CancellationToken.None);

        Assert.Equal(T0, Assert.Single((await GroupAsync()).Targets).DrainingSince);
        Assert.Contains($"(service web) deregistered 1 targets in (target-group {_group})", await EventsAsync());
    }

    [Fact]
    public async Task A_task_unhealthy_in_its_target_group_is_drained_and_stopped_as_failing_ELB_health_checks()
    {
        await _controller.ReconcileAllAsync(CancellationToken.None);
        await HealthAsync("unhealthy", "Health checks failed with these codes: [503]");

        await _controller.ReconcileAllAsync(CancellationToken.None);
        Assert.Equal(T0, Assert.Single((await GroupAsync()).Targets).DrainingSince);
        Assert.Contains($"(service web) (instance i-node1) (port 32768) is unhealthy in (target-group {_group}) due to (reason Health checks failed with these codes: [503]).",
            await EventsAsync());

        _time.Advance(TimeSpan.FromSeconds(30));
        await _controller.ReconcileAllAsync(CancellationToken.None);
        var stopped = (await TaskAsync()).Task;
        Assert.Equal((TaskStatus.Stopped, $"Task failed ELB health checks in (target-group {_group})"), (stopped.DesiredStatus, stopped.StoppedReason));
    }

    [Fact]
    public async Task An_awsvpc_task_is_its_interface_address_and_container_port_once_the_address_is_known()
    {
        var targets = new ServiceTargets(_documents, new TargetRegistry(_documents, new ElbArns(AwsAccount.Default), _time));
        var task = await TaskAsync() with { Definition = new TaskDefinition { NetworkMode = "awsvpc" } };
        LoadBalancer[] balancers = [new LoadBalancer { TargetGroupArn = _group, ContainerName = "app", ContainerPort = 80 }];
        var arn = task.Task.TaskArn!;
        Assert.Null(await targets.TargetsOfAsync(task with { Task = task.Task with { Attachments = [TaskAttachments.Precreated(arn, "subnet-1")] } },
            balancers, null, CancellationToken.None));

        var attached = task with { Task = task.Task with { Attachments = TaskAttachments.Attached(null, "10.0.3.7", null, arn) } };
        Assert.Equal([new ServiceTarget(_group, "10.0.3.7", 80)], await targets.TargetsOfAsync(attached, balancers, null, CancellationToken.None));
    }

    private async Task SeedAsync(ContainerInstanceRegistry instances)
    {
        await _store.CommitAsync([_documents.Put(Kinds.Cluster, Cluster, new Cluster { ClusterName = Cluster, ClusterArn = _arns.Cluster(Cluster), Status = "ACTIVE" },
            WriteOp.MustNotExist)], CancellationToken.None);
        var instance = await instances.RegisterAsync(new NodeRegistration(Cluster, "i-node1", 2048, 2048, [], [], "1.0.0", "hash"), CancellationToken.None);
        var instanceId = EcsArns.ContainerInstanceId(instance.ContainerInstanceArn!);
        await instances.SetConnectedAsync(Cluster, instanceId, connected: true, CancellationToken.None);

        var definition = new TaskDefinition
        {
            Family = "web",
            Revision = 1,
            TaskDefinitionArn = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1",
            NetworkMode = "bridge",
            ContainerDefinitions = [new ContainerDefinition { Name = "app", Image = "busybox", Memory = 16, Essential = true, PortMappings = [new PortMapping { ContainerPort = 80, HostPort = 0 }] }],
        };
        _taskId = "0123456789abcdef0123456789abcdef";
        var task = new TaskRecord(new EcsTask
        {
            TaskArn = $"arn:aws:ecs:us-east-1:000000000000:task/{Cluster}/{_taskId}",
            ClusterArn = _arns.Cluster(Cluster),
            ContainerInstanceArn = instance.ContainerInstanceArn,
            TaskDefinitionArn = definition.TaskDefinitionArn,
            LastStatus = TaskStatus.Running,
            DesiredStatus = TaskStatus.Running,
            StartedAt = T0.AddMinutes(-5),
            StartedBy = Deployment,
            Group = "service:web",
            LaunchType = "EC2",
            Containers = [new Container { Name = "app", NetworkBindings = [new NetworkBinding { BindIP = "0.0.0.0", ContainerPort = 80, HostPort = 32768, Protocol = "tcp" }] }],
            Version = 1,
        }, Cluster, instanceId, 0, 16, [], definition, null, TaskCounter.Running);
        var group = new TargetGroupRecord(new TargetGroup { TargetGroupArn = _group, TargetGroupName = "web", Port = 80, Protocol = "HTTP", TargetType = "instance" },
            [new TargetGroupAttribute { Key = TargetRegistry.DeregistrationDelay, Value = "30" }], [], []);
        var service = new ServiceRecord(new Service
        {
            ServiceName = "web",
            ServiceArn = _arns.Service(Cluster, "web"),
            ClusterArn = _arns.Cluster(Cluster),
            Status = "ACTIVE",
            DesiredCount = 1,
            SchedulingStrategy = "REPLICA",
            TaskDefinition = definition.TaskDefinitionArn,
            DeploymentConfiguration = new DeploymentConfiguration { MinimumHealthyPercent = 100, MaximumPercent = 200 },
            Deployments = [new Deployment { Id = Deployment, Status = "PRIMARY", TaskDefinition = definition.TaskDefinitionArn, RolloutState = "COMPLETED",
                DesiredCount = 1, CreatedAt = T0.AddHours(-1), UpdatedAt = T0.AddHours(-1), LaunchType = "EC2" }],
            LoadBalancers = [new LoadBalancer { TargetGroupArn = _group, ContainerName = "app", ContainerPort = 80 }],
            HealthCheckGracePeriodSeconds = 0,
            Events = [],
        }, Cluster);
        await _store.CommitAsync(
        [
            _documents.Put(Kinds.Task, Kinds.InCluster(Cluster, _taskId), task, WriteOp.MustNotExist),
            _documents.Put(ElbKinds.TargetGroup, "web", group, WriteOp.MustNotExist),
            _documents.Put(Kinds.Service, Kinds.InCluster(Cluster, "web"), service, WriteOp.MustNotExist),
        ], CancellationToken.None);
    }

    private async Task HealthAsync(string state, string? description = null) =>
        await _store.CommitAsync([_documents.Put(ElbKinds.TargetHealth, ElbKinds.TargetHealthKey("web", "i-node1", 32768),
            new TargetHealthRecord(_group, "i-node1", 32768, state, null, description, _time.GetUtcNow()), null)], CancellationToken.None);

    private async Task<TargetGroupRecord> GroupAsync() =>
        (await _documents.GetAsync<TargetGroupRecord>(ElbKinds.TargetGroup, "web", CancellationToken.None))!.Value;

    private async Task<TaskRecord> TaskAsync() =>
        (await _documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(Cluster, _taskId), CancellationToken.None))!.Value;

    private async Task<List<string>> EventsAsync() =>
        [.. (await _documents.GetAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(Cluster, "web"), CancellationToken.None))!.Value.Service.Events!.Select(e => e.Message!)];
}
