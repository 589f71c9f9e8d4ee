using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.ControlPlane.Capacity;
using Gantry.ControlPlane.Fargate;
using Gantry.ControlPlane.Services;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.Tasks;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>CreateCluster, DescribeClusters, ListClusters, UpdateCluster, UpdateClusterSettings, DeleteCluster,
/// PutClusterCapacityProviders.</summary>
public sealed partial class ClusterOperations(Documents documents, EcsArns arns, CapacityProviderDirectory providers, ClusterStateCache clusterState)
{
    public const string ProviderNotFoundMessage = "The specified capacity provider was not found. Specify a valid capacity provider and try again.";
    public const string ProviderInUseMessage = "The specified capacity provider is in use and cannot be removed.";

    public async Task<CreateClusterResponse> CreateAsync(CreateClusterRequest request, CancellationToken ct)
    {
        var name = request.ClusterName ?? EcsArns.DefaultCluster;
        if (!ClusterNamePattern().IsMatch(name))
        {
            throw EcsErrors.InvalidParameter("Cluster name must be 1-255 letters, numbers, underscores and hyphens.");
        }
        EcsTags.Validate(request.Tags, "tags");
        ClusterSettings.Validate(request.Settings);
        CapacityStrategy.ValidateCluster(request.CapacityProviders ?? [], request.DefaultCapacityProviderStrategy ?? []);
        await RequireProvidersAsync(request.CapacityProviders ?? [], ct).ConfigureAwait(false);
        var created = await documents.UpdateAsync<Cluster>(Kinds.Cluster, name, existing =>
            existing is { Status: "ACTIVE" } ? existing : new Cluster
            {
                ClusterArn = arns.Cluster(name),
                ClusterName = name,
                Status = "ACTIVE",
                RegisteredContainerInstancesCount = 0,
                RunningTasksCount = 0,
                PendingTasksCount = 0,
                ActiveServicesCount = 0,
                Statistics = [],
                Tags = request.Tags ?? [],
                Settings = ClusterSettings.WithDefaults(request.Settings),
                Configuration = request.Configuration,
                CapacityProviders = request.CapacityProviders ?? [],
                DefaultCapacityProviderStrategy = CapacityStrategy.Filled(request.DefaultCapacityProviderStrategy ?? []),
                ServiceConnectDefaults = request.ServiceConnectDefaults is null ? null : new ClusterServiceConnectDefaults { Namespace = request.ServiceConnectDefaults.Namespace },
            }, ct).ConfigureAwait(false);
        return new CreateClusterResponse { Cluster = created };
    }

    public async Task<DescribeClustersResponse> DescribeAsync(DescribeClustersRequest request, CancellationToken ct)
    {
        var names = request.Clusters is { Count: > 0 } ? request.Clusters : [EcsArns.DefaultCluster];
        if (names.Count > 100)
        {
            throw EcsErrors.InvalidParameter("clusters can have at most 100 items.");
        }
        var include = ClusterInclude.Parse(request.Include);
        var clusters = new List<Cluster>(names.Count);
        var failures = new List<Failure>();
        foreach (var reference in names)
        {
            var name = arns.ClusterName(reference);
            var found = await documents.GetAsync<Cluster>(Kinds.Cluster, name, ct).ConfigureAwait(false);
            if (found is null)
            {
                failures.Add(new Failure { Arn = arns.Cluster(name), Reason = "MISSING" });
                continue;
            }
            var counts = await clusterState.CountAsync(name, ct).ConfigureAwait(false);
            var shaped = Shape(found.Value, include, counts);
            clusters.Add(include.Statistics && found.Value.Status == "ACTIVE"
                ? shaped with { Statistics = await ClusterStatistics.CountAsync(documents, counts, name, ct).ConfigureAwait(false) }
                : shaped);
        }
        return new DescribeClustersResponse { Clusters = clusters, Failures = failures };
    }

    public async Task<ListClustersResponse> ListAsync(ListClustersRequest request, CancellationToken ct)
    {
        var (clusters, next) = await documents.PageAsync<Cluster>(
            Kinds.Cluster, null, PageToken.Decode(request.NextToken), PageToken.Limit(request.MaxResults), descending: false,
            cluster => cluster.Status == "ACTIVE", ct).ConfigureAwait(false);
        return new ListClustersResponse
        {
            ClusterArns = clusters.Select(c => c.ClusterArn!).ToList(),
            NextToken = next is null ? null : PageToken.Encode(next),
        };
    }

    public async Task<UpdateClusterResponse> UpdateAsync(UpdateClusterRequest request, CancellationToken ct)
    {
        ClusterSettings.Validate(request.Settings);
        var name = RequiredCluster(request.Cluster);
        var updated = await UpdateActiveAsync(name, cluster => cluster with
        {
            Settings = request.Settings is null ? cluster.Settings : ClusterSettings.Merge(cluster.Settings, request.Settings),
            Configuration = request.Configuration ?? cluster.Configuration,
            ServiceConnectDefaults = request.ServiceConnectDefaults is null
                ? cluster.ServiceConnectDefaults
                : new ClusterServiceConnectDefaults { Namespace = request.ServiceConnectDefaults.Namespace },
        }, ct).ConfigureAwait(false);
        return new UpdateClusterResponse { Cluster = Shape(updated, ClusterInclude.All, await clusterState.CountAsync(updated.ClusterName!, ct).ConfigureAwait(false)) };
    }

    public async Task<UpdateClusterSettingsResponse> UpdateSettingsAsync(UpdateClusterSettingsRequest request, CancellationToken ct)
    {
        if (request.Settings is null)
        {
            throw EcsErrors.InvalidParameter("settings must be specified.");
        }
        ClusterSettings.Validate(request.Settings);
        var name = RequiredCluster(request.Cluster);
        var updated = await UpdateActiveAsync(name, cluster => cluster with
        {
            Settings = ClusterSettings.Merge(cluster.Settings, request.Settings),
        }, ct).ConfigureAwait(false);
        return new UpdateClusterSettingsResponse { Cluster = Shape(updated, ClusterInclude.All, await clusterState.CountAsync(updated.ClusterName!, ct).ConfigureAwait(false)) };
    }

    public async Task<DeleteClusterResponse> DeleteAsync(DeleteClusterRequest request, CancellationToken ct)
    {
        var name = RequiredCluster(request.Cluster);
        // Services are counted in the cluster document by the commits that create them; instances and tasks are counted
        // from the store after the document was read, and every launch rewrites the document and every registration
        // checks it: a launch committed after that read makes this commit conflict (and the check runs again), a
        // registration after this commit is refused.
        for (var attempt = 1; ; attempt++)
        {
            var found = await documents.GetAsync<Cluster>(Kinds.Cluster, name, ct).ConfigureAwait(false);
            if (found is not { Value.Status: "ACTIVE" })
            {
                throw EcsErrors.ClusterNotFound();
            }
            var cluster = found.Value;
            var counts = await clusterState.CountAsync(name, ct).ConfigureAwait(false);
            if (counts.RegisteredInstances > 0)
            {
                throw EcsErrors.ClusterContainsContainerInstances("The Cluster cannot be deleted while Container Instances are active or draining.");
            }
            if (cluster.ActiveServicesCount > 0)
            {
                throw EcsErrors.ClusterContainsServices("The Cluster cannot be deleted while Services are active.");
            }
            if (counts.Running + counts.Pending > 0)
            {
                throw EcsErrors.ClusterContainsTasks("The Cluster cannot be deleted while Tasks are active.");
            }
            var deleted = cluster with { Status = "INACTIVE" };
            try
            {
                await documents.Store.CommitAsync([documents.Put(Kinds.Cluster, name, deleted, found.Version)], ct).ConfigureAwait(false);
                return new DeleteClusterResponse { Cluster = Shape(deleted, ClusterInclude.All, counts) };
            }
            catch (ConcurrencyConflictException) when (attempt < 8)
            {
                // The cluster changed (a launch, a setting) since it was read: check again.
            }
        }
    }

    /// <summary>
    /// Replaces the cluster's capacity providers and default strategy. FARGATE and FARGATE_SPOT can always be named,
    /// created providers while ACTIVE; a provider a service's strategy or an unstopped task uses cannot be removed
    /// (ResourceInUseException).
    /// </summary>
    public async Task<PutClusterCapacityProvidersResponse> PutCapacityProvidersAsync(PutClusterCapacityProvidersRequest request, CancellationToken ct)
    {
        var name = RequiredCluster(request.Cluster);
        var wanted = request.CapacityProviders ?? throw EcsErrors.InvalidParameter("capacityProviders must be specified (an empty list removes them all).");
        var strategy = request.DefaultCapacityProviderStrategy
            ?? throw EcsErrors.InvalidParameter("defaultCapacityProviderStrategy must be specified (an empty list for none).");
        CapacityStrategy.ValidateCluster(wanted, strategy);
        await RequireProvidersAsync(wanted, ct).ConfigureAwait(false);
        var current = await RequireActiveAsync(name, ct).ConfigureAwait(false);
        var removed = (current.CapacityProviders ?? []).Except(wanted, StringComparer.Ordinal).ToList();
        if (removed.Count > 0 && await InUseAsync(name, removed, ct).ConfigureAwait(false))
        {
            throw EcsErrors.ResourceInUse(ProviderInUseMessage);
        }
        var updated = await UpdateActiveAsync(name, cluster => cluster with
        {
            CapacityProviders = [.. wanted],
            DefaultCapacityProviderStrategy = CapacityStrategy.Filled(strategy),
        }, ct).ConfigureAwait(false);
        return new PutClusterCapacityProvidersResponse { Cluster = Shape(updated, ClusterInclude.All, await clusterState.CountAsync(updated.ClusterName!, ct).ConfigureAwait(false)) };
    }

    /// <summary>Resolves a cluster reference (default when omitted) to an ACTIVE cluster, or throws ClusterNotFoundException.</summary>
    public async Task<Cluster> RequireActiveAsync(string? reference, CancellationToken ct)
    {
        var name = arns.ClusterOf(reference);
        var found = await documents.GetAsync<Cluster>(Kinds.Cluster, name, ct).ConfigureAwait(false);
        return found is { Value.Status: "ACTIVE" } ? found.Value : throw EcsErrors.ClusterNotFound();
    }

    private string RequiredCluster(string? reference) =>
        string.IsNullOrEmpty(reference) ? throw EcsErrors.InvalidParameter("cluster must be specified.") : arns.ClusterName(reference);

    private Task<Cluster> UpdateActiveAsync(string name, Func<Cluster, Cluster> change, CancellationToken ct) =>
        documents.UpdateAsync<Cluster>(Kinds.Cluster, name, current =>
            current is { Status: "ACTIVE" } ? change(current) : throw EcsErrors.ClusterNotFound(), ct);

    /// <summary>
    /// The cluster as DescribeClusters shows it. activeServicesCount lives in the cluster document, kept by whoever
    /// creates and deletes services in the same commit; registeredContainerInstancesCount, runningTasksCount and
    /// pendingTasksCount are counted from the instances and tasks.
    /// </summary>
    private static Cluster Shape(Cluster cluster, ClusterInclude include, ClusterCounts counts) => cluster with
    {
        RegisteredContainerInstancesCount = counts.RegisteredInstances,
        RunningTasksCount = counts.Running,
        PendingTasksCount = counts.Pending,
        Tags = include.Tags ? cluster.Tags ?? [] : [],
        Settings = include.Settings ? cluster.Settings : null,
        Configuration = include.Configurations ? cluster.Configuration : null,
        Statistics = [],
    };

    private async Task RequireProvidersAsync(IReadOnlyList<string> names, CancellationToken ct)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (!FargatePool.IsProvider(names[i]) && await providers.FindActiveAsync(names[i], ct).ConfigureAwait(false) is null)
            {
                throw EcsErrors.InvalidParameter($"{ProviderNotFoundMessage} (capacityProviders[{i}]: {names[i]})");
            }
        }
    }

    /// <summary>Whether a service of the cluster (not yet INACTIVE) has one of <paramref name="names"/> in its strategy,
    /// or a task not yet stopped runs on one.</summary>
    private async Task<bool> InUseAsync(string cluster, IReadOnlyList<string> names, CancellationToken ct)
    {
        var services = await documents.ListAllAsync<ServiceRecord>(Kinds.Service, Kinds.InCluster(cluster), ct).ConfigureAwait(false);
        if (services.Any(s => s.Value.Service.Status != "INACTIVE"
            && (s.Value.Service.CapacityProviderStrategy ?? []).Any(i => names.Contains(i.CapacityProvider!, StringComparer.Ordinal))))
        {
            return true;
        }
        var tasks = await documents.ListAllAsync<TaskRecord>(Kinds.Task, Kinds.InCluster(cluster), ct).ConfigureAwait(false);
        return tasks.Any(t => t.Value.Task.LastStatus != Gantry.Domain.Tasks.TaskStatus.Stopped && t.Value.Task.CapacityProviderName is { } used
            && names.Contains(used, StringComparer.Ordinal));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex ClusterNamePattern();
}
