using Gantry.Api.State;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Scheduling;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>RunTask, StartTask, StopTask, DescribeTasks and ListTasks.</summary>
public sealed class TaskOperations(Documents documents, EcsArns arns, TaskDefinitionLookup definitions, TaskLauncher launcher, TaskStopper stopper, AwsvpcNetworkRules networkRules)
{
    private static readonly string[] StrategyTypes = ["binpack", "spread", "random"];

    public async Task<RunTaskResponse> RunAsync(RunTaskRequest request, CancellationToken ct)
    {
        LaunchRefusals.RunTask(request);
        var cluster = arns.ClusterOf(request.Cluster);
        var count = request.Count ?? 1;
        if (count is < 1 or > 10)
        {
            throw EcsErrors.InvalidParameter("count must be between 1 and 10.");
        }
        if (request.ClientToken is { } token)
        {
            if (token.Length > 64)
            {
                throw EcsErrors.InvalidParameter("clientToken can be at most 64 characters.");
            }
            if (await documents.GetAsync<List<string>>(Kinds.TaskClientToken, Kinds.InCluster(cluster, token), ct).ConfigureAwait(false) is { } earlier)
            {
                return new RunTaskResponse { Tasks = await LoadAsync(cluster, earlier.Value, ct).ConfigureAwait(false), Failures = [] };
            }
        }
        var definition = await definitions.FindActiveAsync(request.TaskDefinition, ct).ConfigureAwait(false);
        ValidateLaunch(definition, request.NetworkConfiguration, request.Overrides, request.StartedBy);
        var capacity = await LaunchCapacityRules.ResolveAsync(documents, cluster, request.LaunchType, request.CapacityProviderStrategy, ct).ConfigureAwait(false);
        LaunchCapacityRules.Check(capacity, definition, request.NetworkConfiguration,
            request.PlacementConstraints is { Count: > 0 } || request.PlacementStrategy is { Count: > 0 }, overrides: request.Overrides);
        var network = await networkRules.ResolveAsync(request.NetworkConfiguration, ct).ConfigureAwait(false);
        var (tasks, failures) = await launcher.LaunchAsync(new LaunchRequest(cluster, definition, request.Overrides, count,
            request.Group ?? $"family:{definition.Family}", request.StartedBy, request.Tags ?? [],
            Constraints(request.PlacementConstraints), Strategies(request.PlacementStrategy), null, request.ClientToken, capacity, network),
            ct).ConfigureAwait(false);
        return new RunTaskResponse { Tasks = tasks, Failures = failures };
    }

    public async Task<StartTaskResponse> StartAsync(StartTaskRequest request, CancellationToken ct)
    {
        LaunchRefusals.StartTask(request);
        var cluster = arns.ClusterOf(request.Cluster);
        if (request.ContainerInstances is not { Count: > 0 and <= 10 } targets)
        {
            throw EcsErrors.InvalidParameter("containerInstances must have between 1 and 10 items.");
        }
        var definition = await definitions.FindActiveAsync(request.TaskDefinition, ct).ConfigureAwait(false);
        ValidateLaunch(definition, request.NetworkConfiguration, request.Overrides, request.StartedBy);
        LaunchCapacityRules.Check(LaunchCapacity.Ec2, definition, request.NetworkConfiguration, placement: false, overrides: request.Overrides);
        var network = await networkRules.ResolveAsync(request.NetworkConfiguration, ct).ConfigureAwait(false);
        var tasks = new List<EcsTask>();
        var failures = new List<Failure>();
        foreach (var target in targets)
        {
            var (started, failed) = await launcher.LaunchAsync(new LaunchRequest(cluster, definition, request.Overrides, 1,
                request.Group ?? $"family:{definition.Family}", request.StartedBy, request.Tags ?? [], [], [],
                [EcsArns.ContainerInstanceId(target)], null, Network: network), ct).ConfigureAwait(false);
            tasks.AddRange(started);
            failures.AddRange(failed.Select(f => f with { Arn = f.Arn ?? target }));
        }
        return new StartTaskResponse { Tasks = tasks, Failures = failures };
    }

    public async Task<StopTaskResponse> StopAsync(StopTaskRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        var reference = request.Task ?? throw EcsErrors.InvalidParameter("task must be specified.");
        if (request.Reason is { Length: > 255 })
        {
            throw EcsErrors.InvalidParameter("reason can be at most 255 characters.");
        }
        var record = await stopper.StopAsync(cluster, EcsArns.TaskId(reference), TaskStopCodeValues.UserInitiated, request.Reason ?? "Task stopped by user", ct).ConfigureAwait(false)
            ?? throw EcsErrors.InvalidParameter("The referenced task was not found.");
        return new StopTaskResponse { Task = record.Task };
    }

    public async Task<DescribeTasksResponse> DescribeAsync(DescribeTasksRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        if (request.Tasks is not { Count: > 0 and <= 100 } references)
        {
            throw EcsErrors.InvalidParameter("tasks must have between 1 and 100 items.");
        }
        var tags = request.Include?.Contains("TAGS") == true;
        var (found, failures) = await DescribeBatch.RunAsync(references, async (reference, ct) =>
            (await documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, EcsArns.TaskId(reference)), ct).ConfigureAwait(false)) is { } record
                ? tags ? record.Value.Task : record.Value.Task with { Tags = null }
                : null,
            reference => arns.Task(cluster, reference), ct).ConfigureAwait(false);
        return new DescribeTasksResponse { Tasks = found, Failures = failures };
    }

    public async Task<ListTasksResponse> ListAsync(ListTasksRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        if (request.DesiredStatus is { } desired && !DesiredStatusValues.All.Contains(desired))
        {
            throw EcsErrors.InvalidParameter("desiredStatus must be RUNNING, PENDING or STOPPED.");
        }
        var wanted = request.DesiredStatus is null or DesiredStatusValues.PENDING ? DesiredStatusValues.RUNNING : request.DesiredStatus;
        var instance = request.ContainerInstance is null ? null : EcsArns.ContainerInstanceId(request.ContainerInstance);
        var limit = PageToken.Limit(request.MaxResults);
        var (items, next) = await documents.PageAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster), PageToken.Decode(request.NextToken), limit, descending: false,
            t => t.Task.DesiredStatus == wanted
                && (instance is null || t.InstanceId == instance)
                && (request.Family is null || t.Definition.Family == request.Family)
                && (request.StartedBy is null || t.Task.StartedBy == request.StartedBy)
                && (request.ServiceName is null || t.Task.Group == $"service:{request.ServiceName}")
                && (request.LaunchType is null || t.Task.LaunchType == request.LaunchType), ct).ConfigureAwait(false);
        return new ListTasksResponse { TaskArns = [.. items.Select(t => t.Task.TaskArn!)], NextToken = next is null ? null : PageToken.Encode(next) };
    }

    private async Task<List<EcsTask>> LoadAsync(string cluster, IReadOnlyList<string> arnsOfTasks, CancellationToken ct)
    {
        var tasks = new List<EcsTask>();
        foreach (var arn in arnsOfTasks)
        {
            if (await documents.GetAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster, EcsArns.TaskId(arn)), ct).ConfigureAwait(false) is { } record)
            {
                tasks.Add(record.Value.Task);
            }
        }
        return tasks;
    }

    private static void ValidateLaunch(TaskDefinition definition, NetworkConfiguration? network, TaskOverride? overrides, string? startedBy)
    {
        if (definition.NetworkMode == "awsvpc" && network?.AwsvpcConfiguration is null)
        {
            throw EcsErrors.InvalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        if (definition.NetworkMode != "awsvpc" && network is not null)
        {
            throw EcsErrors.InvalidParameter("Network Configuration is not valid for the given networkMode of this task definition.");
        }
        foreach (var container in overrides?.ContainerOverrides ?? [])
        {
            if ((definition.ContainerDefinitions ?? []).All(c => c.Name != container.Name))
            {
                throw EcsErrors.InvalidParameter($"Override for container named {container.Name} is not a container in the TaskDefinition.");
            }
        }
        if (startedBy is { Length: > 128 })
        {
            throw EcsErrors.InvalidParameter("startedBy can be at most 128 characters.");
        }
    }

    private static List<PlacementConstraintSpec> Constraints(IReadOnlyList<PlacementConstraint>? constraints)
    {
        if (constraints is { Count: > 10 })
        {
            throw EcsErrors.InvalidParameter("placementConstraints can have at most 10 items.");
        }
        var result = new List<PlacementConstraintSpec>();
        foreach (var constraint in constraints ?? [])
        {
            if (constraint.Type is not ("distinctInstance" or "memberOf"))
            {
                throw EcsErrors.InvalidParameter($"Invalid placement constraint type '{constraint.Type}': use distinctInstance or memberOf.");
            }
            if (constraint.Type == "distinctInstance" && !string.IsNullOrEmpty(constraint.Expression))
            {
                throw EcsErrors.InvalidParameter("A distinctInstance placement constraint cannot have an expression.");
            }
            if (constraint.Type == "memberOf")
            {
                try
                {
                    ClusterQuery.Parse(constraint.Expression ?? "");
                }
                catch (ClusterQueryException e)
                {
                    throw EcsErrors.InvalidParameter($"Invalid placement constraint expression: {e.Message}");
                }
            }
            result.Add(new PlacementConstraintSpec(constraint.Type, constraint.Expression));
        }
        return result;
    }

    private static List<PlacementStrategySpec> Strategies(IReadOnlyList<PlacementStrategy>? strategies)
    {
        if (strategies is { Count: > 5 })
        {
            throw EcsErrors.InvalidParameter("placementStrategy can have at most 5 items.");
        }
        var result = new List<PlacementStrategySpec>();
        foreach (var strategy in strategies ?? [])
        {
            if (!StrategyTypes.Contains(strategy.Type))
            {
                throw EcsErrors.InvalidParameter($"Invalid placement strategy type '{strategy.Type}': use binpack, spread or random.");
            }
            if (strategy.Type == "binpack" && strategy.Field is not ("cpu" or "memory" or "CPU" or "MEMORY"))
            {
                throw EcsErrors.InvalidParameter("binpack needs field cpu or memory.");
            }
            if (strategy.Type == "spread" && string.IsNullOrEmpty(strategy.Field))
            {
                throw EcsErrors.InvalidParameter("spread needs a field: instanceId, host or attribute:<name>.");
            }
            result.Add(PlacementStrategySpec.Of(strategy.Type!, strategy.Field));
        }
        return result;
    }
}
