using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// CreateService, UpdateService, DeleteService, DescribeServices and ListServices. These only record what is wanted
/// (deployments, counts, configuration); the <see cref="ServiceController"/> makes it so.
/// </summary>
public sealed partial class ServiceOperations(Documents documents, EcsArns arns, TaskDefinitionLookup definitions, ServiceLoadBalancers loadBalancers,
    ServiceRegistryRules registryRules, AwsvpcNetworkRules networkRules, TimeProvider time)
{
    public async Task<CreateServiceResponse> CreateAsync(CreateServiceRequest request, CancellationToken ct)
    {
        LaunchRefusals.CreateService(request);
        var cluster = arns.ClusterOf(request.Cluster);
        var name = request.ServiceName ?? throw EcsErrors.InvalidParameter("serviceName must be specified.");
        if (!NamePattern().IsMatch(name))
        {
            throw EcsErrors.InvalidParameter("serviceName must be 1-255 letters, numbers, hyphens and underscores.");
        }
        var strategy = request.SchedulingStrategy ?? "REPLICA";
        if (strategy is not ("REPLICA" or "DAEMON"))
        {
            throw EcsErrors.InvalidParameter("schedulingStrategy must be REPLICA or DAEMON.");
        }
        if (strategy == "REPLICA" && request.DesiredCount is null)
        {
            throw EcsErrors.InvalidParameter("desiredCount must be specified for a REPLICA service.");
        }
        if (request.DesiredCount is < 0)
        {
            throw EcsErrors.InvalidParameter("desiredCount must be 0 or more.");
        }
        GracePeriod(request.HealthCheckGracePeriodSeconds);
        if (strategy == "DAEMON" && request.PlacementStrategy is { Count: > 0 })
        {
            throw EcsErrors.InvalidParameter("Placement strategies are not supported with the DAEMON scheduling strategy.");
        }
        var definition = await definitions.FindActiveAsync(request.TaskDefinition, ct).ConfigureAwait(false);
        if (definition.NetworkMode == "awsvpc" && request.NetworkConfiguration?.AwsvpcConfiguration is null)
        {
            throw EcsErrors.InvalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
        }
        var capacity = await LaunchCapacityRules.ResolveAsync(documents, cluster, request.LaunchType, request.CapacityProviderStrategy, ct).ConfigureAwait(false);
        LaunchCapacityRules.Check(capacity, definition, request.NetworkConfiguration,
            request.PlacementConstraints is { Count: > 0 } || request.PlacementStrategy is { Count: > 0 }, daemon: strategy == "DAEMON");
        await loadBalancers.CheckAsync(request.LoadBalancers ?? [], definition, ct).ConfigureAwait(false);
        var search = await registryRules.CheckAsync(request.ServiceRegistries, definition, ct).ConfigureAwait(false);
        var network = await networkRules.ResolveAsync(request.NetworkConfiguration, ct).ConfigureAwait(false);
        var configuration = Configuration(request.DeploymentConfiguration, strategy, null);
        var now = time.GetUtcNow();
        var desired = strategy == "DAEMON" ? 0 : request.DesiredCount!.Value;
        var service = new Service
        {
            ServiceArn = arns.Service(cluster, name),
            ServiceName = name,
            ClusterArn = arns.Cluster(cluster),
            Status = "ACTIVE",
            DesiredCount = desired,
            RunningCount = 0,
            PendingCount = 0,
            LaunchType = capacity.LaunchType,
            CapacityProviderStrategy = capacity.UsesStrategy ? capacity.Strategy : null,
            PlatformVersion = capacity.IsFargate ? request.PlatformVersion ?? "LATEST" : null,
            PlatformFamily = capacity.IsFargate ? "Linux" : null,
            TaskDefinition = definition.TaskDefinitionArn,
            DeploymentConfiguration = configuration,
            Deployments = [ServiceDeployments.NewDeployment(definition.TaskDefinitionArn!, desired, now, network, capacity)],
            Events = [],
            CreatedAt = now,
            PlacementConstraints = request.PlacementConstraints ?? [],
            PlacementStrategy = strategy == "DAEMON" || capacity.IsFargate ? [] : request.PlacementStrategy ?? DefaultStrategy,
            NetworkConfiguration = network,
            HealthCheckGracePeriodSeconds = request.HealthCheckGracePeriodSeconds ?? 0,
            SchedulingStrategy = strategy,
            DeploymentController = new DeploymentController { Type = "ECS" },
            Tags = request.Tags ?? [],
            CreatedBy = arns.Account.Root,
            EnableECSManagedTags = request.EnableECSManagedTags ?? false,
            PropagateTags = request.PropagateTags ?? "NONE",
            EnableExecuteCommand = false,
            LoadBalancers = request.LoadBalancers ?? [],
            ServiceRegistries = request.ServiceRegistries ?? [],
        };
        for (var attempt = 1; ; attempt++)
        {
            var clusterDoc = await documents.GetAsync<Cluster>(Kinds.Cluster, cluster, ct).ConfigureAwait(false);
            if (clusterDoc is not { Value.Status: "ACTIVE" })
            {
                throw EcsErrors.ClusterNotFound();
            }
            var key = Kinds.InCluster(cluster, name);
            var existing = await documents.GetAsync<ServiceRecord>(Kinds.Service, key, ct).ConfigureAwait(false);
            if (existing is not null && existing.Value.Service.Status != "INACTIVE")
            {
                throw EcsErrors.InvalidParameter("Creation of service was not idempotent.");
            }
            try
            {
                await documents.Store.CommitAsync(
                [
                    documents.Put(Kinds.Service, key, new ServiceRecord(service, cluster, DnsSearch: search), existing?.Version ?? WriteOp.MustNotExist),
                    documents.Put(Kinds.Cluster, cluster, clusterDoc.Value with { ActiveServicesCount = (clusterDoc.Value.ActiveServicesCount ?? 0) + 1 }, clusterDoc.Version),
                ], ct).ConfigureAwait(false);
                return new CreateServiceResponse { Service = service };
            }
            catch (ConcurrencyConflictException) when (attempt < 8)
            {
            }
        }
    }

    public async Task<UpdateServiceResponse> UpdateAsync(UpdateServiceRequest request, CancellationToken ct)
    {
        LaunchRefusals.UpdateService(request);
        var cluster = arns.ClusterOf(request.Cluster);
        var key = Kinds.InCluster(cluster, ServiceName(request.Service));
        var definition = request.TaskDefinition is null ? null : await definitions.FindActiveAsync(request.TaskDefinition, ct).ConfigureAwait(false);
        if (request.DesiredCount is < 0)
        {
            throw EcsErrors.InvalidParameter("desiredCount must be 0 or more.");
        }
        GracePeriod(request.HealthCheckGracePeriodSeconds);
        var found = await documents.GetAsync<ServiceRecord>(Kinds.Service, key, ct).ConfigureAwait(false) ?? throw EcsErrors.ServiceNotFound();
        if (found.Value.Service.Status != "ACTIVE")
        {
            throw EcsErrors.ServiceNotActive();
        }
        var capacity = request.CapacityProviderStrategy is { Count: > 0 }
            ? await LaunchCapacityRules.ResolveAsync(documents, cluster, null, request.CapacityProviderStrategy, ct).ConfigureAwait(false)
            : LaunchCapacity.Of(found.Value.Service);
        if (capacity.IsFargate != LaunchCapacity.Of(found.Value.Service).IsFargate)
        {
            throw EcsErrors.InvalidParameter("A service can not move between Fargate and EC2 capacity with UpdateService: create a new service.");
        }
        if (definition is not null)
        {
            LaunchCapacityRules.Check(capacity, definition, request.NetworkConfiguration ?? found.Value.Service.NetworkConfiguration,
                request.PlacementConstraints is { Count: > 0 } || request.PlacementStrategy is { Count: > 0 });
        }
        else if (capacity.IsFargate && (request.PlacementConstraints is { Count: > 0 } || request.PlacementStrategy is { Count: > 0 }))
        {
            LaunchCapacityRules.Check(capacity, new TaskDefinition { Compatibilities = [CompatibilityValues.FARGATE] }, null, placement: true);
        }
        else if (request.NetworkConfiguration is not null)
        {
            // A new network for the definition the service runs (deregistered or not: its tasks keep running it).
            var current = await definitions.FindAsync(found.Value.Service.TaskDefinition, requireRevision: false, ct).ConfigureAwait(false);
            LaunchCapacityRules.CheckNetwork(capacity, current?.Value.Definition ?? new TaskDefinition(), request.NetworkConfiguration);
        }
        if (request.LoadBalancers is not null || definition is not null)
        {
            // New load balancers against the definition the service will run; the kept ones against a new definition.
            var runs = definition ?? (await definitions.FindAsync(found.Value.Service.TaskDefinition, requireRevision: false, ct).ConfigureAwait(false))?.Value.Definition
                ?? new TaskDefinition();
            await loadBalancers.CheckAsync(request.LoadBalancers ?? found.Value.Service.LoadBalancers ?? [], runs, ct).ConfigureAwait(false);
        }
        var requestedNetwork = await networkRules.ResolveAsync(request.NetworkConfiguration, ct).ConfigureAwait(false);
        var search = found.Value.DnsSearch;
        if (request.ServiceRegistries is not null || definition is not null)
        {
            var runs = definition ?? (await definitions.FindAsync(found.Value.Service.TaskDefinition, requireRevision: false, ct).ConfigureAwait(false))?.Value.Definition
                ?? new TaskDefinition();
            search = await registryRules.CheckAsync(request.ServiceRegistries ?? found.Value.Service.ServiceRegistries, runs, ct).ConfigureAwait(false);
        }
        var now = time.GetUtcNow();
        var updated = await documents.UpdateAsync<ServiceRecord>(Kinds.Service, key, current =>
        {
            var service = current!.Service;
            if (service.Status != "ACTIVE")
            {
                throw EcsErrors.ServiceNotActive();
            }
            var desired = service.SchedulingStrategy == "DAEMON" ? 0 : request.DesiredCount ?? service.DesiredCount ?? 0;
            var taskDefinition = definition?.TaskDefinitionArn ?? service.TaskDefinition!;
            var network = requestedNetwork ?? service.NetworkConfiguration;
            var deployments = service.Deployments ?? [];
            var balancers = request.LoadBalancers ?? service.LoadBalancers ?? [];
            var registries = request.ServiceRegistries ?? service.ServiceRegistries ?? [];
            var newDeployment = taskDefinition != service.TaskDefinition || request.ForceNewDeployment == true || request.NetworkConfiguration is not null
                || request.CapacityProviderStrategy is { Count: > 0 } || !ServiceLoadBalancers.SameAs(balancers, service.LoadBalancers)
                || !registries.SequenceEqual(service.ServiceRegistries ?? []);
            if (newDeployment)
            {
                deployments = [ServiceDeployments.NewDeployment(taskDefinition, desired, now, network, capacity), .. deployments.Select(d => d.Status == "PRIMARY" ? d with { Status = "ACTIVE", UpdatedAt = now } : d)];
            }
            else
            {
                deployments = [.. deployments.Select(d => d.Status == "PRIMARY" ? d with { DesiredCount = desired } : d)];
            }
            return current with
            {
                DnsSearch = search,
                SteadyAnnounced = current.SteadyAnnounced && !newDeployment && desired == service.DesiredCount,
                Service = service with
                {
                    DesiredCount = desired,
                    TaskDefinition = taskDefinition,
                    Deployments = deployments,
                    DeploymentConfiguration = Configuration(request.DeploymentConfiguration, service.SchedulingStrategy!, service.DeploymentConfiguration),
                    PlacementConstraints = request.PlacementConstraints ?? service.PlacementConstraints,
                    PlacementStrategy = request.PlacementStrategy ?? service.PlacementStrategy,
                    NetworkConfiguration = network,
                    LaunchType = capacity.LaunchType,
                    CapacityProviderStrategy = capacity.UsesStrategy ? capacity.Strategy : null,
                    HealthCheckGracePeriodSeconds = request.HealthCheckGracePeriodSeconds ?? service.HealthCheckGracePeriodSeconds,
                    LoadBalancers = balancers,
                    ServiceRegistries = registries,
                },
            };
        }, ct).ConfigureAwait(false);
        return new UpdateServiceResponse { Service = updated.Service };
    }

    public async Task<DeleteServiceResponse> DeleteAsync(DeleteServiceRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        var key = Kinds.InCluster(cluster, ServiceName(request.Service));
        if (await documents.GetAsync<ServiceRecord>(Kinds.Service, key, ct).ConfigureAwait(false) is not { Value.Service.Status: not "INACTIVE" })
        {
            throw EcsErrors.ServiceNotFound();
        }
        var deleted = await documents.UpdateAsync<ServiceRecord>(Kinds.Service, key, current =>
        {
            var service = current!.Service;
            if (service.Status == "DRAINING")
            {
                return current;
            }
            if (service.SchedulingStrategy == "REPLICA" && service.DesiredCount > 0 && request.Force != true)
            {
                throw EcsErrors.InvalidParameter("The service cannot be stopped while it is scaled above 0.");
            }
            return current with { Service = service with { Status = "DRAINING", DesiredCount = 0 } };
        }, ct).ConfigureAwait(false);
        return new DeleteServiceResponse { Service = deleted.Service };
    }

    public async Task<DescribeServicesResponse> DescribeAsync(DescribeServicesRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        if (request.Services is not { Count: > 0 and <= 10 } names)
        {
            throw EcsErrors.InvalidParameter("services must have between 1 and 10 items.");
        }
        var tags = request.Include?.Contains("TAGS") == true;
        var (found, failures) = await DescribeBatch.RunAsync(names, async (name, ct) =>
            (await documents.GetAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(cluster, ServiceName(name)), ct).ConfigureAwait(false)) is { } record
                ? tags ? record.Value.Service : record.Value.Service with { Tags = null }
                : null,
            name => arns.Service(cluster, name), ct).ConfigureAwait(false);
        return new DescribeServicesResponse { Services = found, Failures = failures };
    }

    public async Task<ListServicesResponse> ListAsync(ListServicesRequest request, CancellationToken ct)
    {
        var cluster = arns.ClusterOf(request.Cluster);
        var limit = PageToken.Limit(request.MaxResults);
        var (items, next) = await documents.PageAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(cluster), PageToken.Decode(request.NextToken), limit, descending: false,
            s => s.Service.Status != "INACTIVE"
                && (request.SchedulingStrategy is null || s.Service.SchedulingStrategy == request.SchedulingStrategy)
                && (request.LaunchType is null || s.Service.LaunchType == request.LaunchType), ct).ConfigureAwait(false);
        return new ListServicesResponse { ServiceArns = [.. items.Select(s => s.Service.ServiceArn!)], NextToken = next is null ? null : PageToken.Encode(next) };
    }

    private static readonly IReadOnlyList<PlacementStrategy> DefaultStrategy =
    [
        new PlacementStrategy { Type = "spread", Field = "attribute:ecs.availability-zone" },
        new PlacementStrategy { Type = "spread", Field = "instanceId" },
    ];

    private static DeploymentConfiguration Configuration(DeploymentConfiguration? given, string strategy, DeploymentConfiguration? current)
    {
        var daemon = strategy == "DAEMON";
        var min = given?.MinimumHealthyPercent ?? current?.MinimumHealthyPercent ?? (daemon ? 0 : 100);
        var max = given?.MaximumPercent ?? current?.MaximumPercent ?? (daemon ? 100 : 200);
        if (min is < 0 or > 100)
        {
            throw EcsErrors.InvalidParameter("deploymentConfiguration.minimumHealthyPercent must be between 0 and 100.");
        }
        if (max < 100 || max > 2000 || (daemon && max != 100))
        {
            throw EcsErrors.InvalidParameter(daemon ? "deploymentConfiguration.maximumPercent must be 100 for a DAEMON service."
                : "deploymentConfiguration.maximumPercent must be between 100 and 2000.");
        }
        return new DeploymentConfiguration
        {
            MinimumHealthyPercent = min,
            MaximumPercent = max,
            DeploymentCircuitBreaker = given?.DeploymentCircuitBreaker ?? current?.DeploymentCircuitBreaker ?? new DeploymentCircuitBreaker { Enable = false, Rollback = false },
        };
    }

    private static void GracePeriod(int? seconds)
    {
        if (seconds is < 0)
        {
            throw EcsErrors.InvalidParameter("healthCheckGracePeriodSeconds must be between 0 and 2147483647.");
        }
    }

    private static string ServiceName(string? reference) =>
        string.IsNullOrEmpty(reference) ? throw EcsErrors.InvalidParameter("service must be specified.") : EcsArns.ServiceName(reference);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,255}\z")]
    private static partial Regex NamePattern();
}
