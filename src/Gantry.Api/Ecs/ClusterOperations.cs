using System.Text.RegularExpressions;
using Gantry.Api.State;
using Gantry.ControlPlane.State;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>CreateCluster, DescribeClusters, ListClusters, UpdateCluster, UpdateClusterSettings, DeleteCluster.</summary>
public sealed partial class ClusterOperations(Documents documents, EcsArns arns)
{
    private static readonly string[] KnownCapacityProviders = ["FARGATE", "FARGATE_SPOT"];

    public async Task<CreateClusterResponse> CreateAsync(CreateClusterRequest request, CancellationToken ct)
    {
        var name = request.ClusterName ?? EcsArns.DefaultCluster;
        if (!ClusterNamePattern().IsMatch(name))
        {
            throw EcsErrors.InvalidParameter("Cluster name must be 1-255 letters, numbers, underscores and hyphens.");
        }
        EcsTags.Validate(request.Tags, "tags");
        ClusterSettings.Validate(request.Settings);
        ValidateCapacityProviders(request.CapacityProviders, request.DefaultCapacityProviderStrategy);
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
                DefaultCapacityProviderStrategy = request.DefaultCapacityProviderStrategy ?? [],
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
            clusters.Add(Shape(found.Value, include));
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
        return new UpdateClusterResponse { Cluster = Shape(updated, ClusterInclude.All) };
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
        return new UpdateClusterSettingsResponse { Cluster = Shape(updated, ClusterInclude.All) };
    }

    public async Task<DeleteClusterResponse> DeleteAsync(DeleteClusterRequest request, CancellationToken ct)
    {
        var name = RequiredCluster(request.Cluster);
        // The counters are kept in the cluster document in the same commits that register instances, place and stop
        // tasks and create and delete services; checking them inside the update makes the refusal race-free.
        var deleted = await UpdateActiveAsync(name, cluster =>
        {
            if (cluster.RegisteredContainerInstancesCount > 0)
            {
                throw EcsErrors.ClusterContainsContainerInstances("The Cluster cannot be deleted while Container Instances are active or draining.");
            }
            if (cluster.ActiveServicesCount > 0)
            {
                throw EcsErrors.ClusterContainsServices("The Cluster cannot be deleted while Services are active.");
            }
            if (cluster.RunningTasksCount + cluster.PendingTasksCount > 0)
            {
                throw EcsErrors.ClusterContainsTasks("The Cluster cannot be deleted while Tasks are active.");
            }
            return cluster with { Status = "INACTIVE" };
        }, ct).ConfigureAwait(false);
        return new DeleteClusterResponse { Cluster = deleted };
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
    /// The cluster as DescribeClusters shows it. The counters (registeredContainerInstancesCount, runningTasksCount,
    /// pendingTasksCount, activeServicesCount) live in the cluster document and are kept by whoever registers
    /// instances, tasks and services, in the same commit.
    /// </summary>
    private static Cluster Shape(Cluster cluster, ClusterInclude include) => cluster with
    {
        Tags = include.Tags ? cluster.Tags ?? [] : [],
        Settings = include.Settings ? cluster.Settings : null,
        Configuration = include.Configurations ? cluster.Configuration : null,
        Statistics = [],
    };

    private static void ValidateCapacityProviders(IReadOnlyList<string>? providers, IReadOnlyList<CapacityProviderStrategyItem>? strategy)
    {
        foreach (var provider in providers ?? [])
        {
            if (!KnownCapacityProviders.Contains(provider, StringComparer.Ordinal))
            {
                throw EcsErrors.InvalidParameter($"The specified capacity provider '{provider}' does not exist.");
            }
        }
        foreach (var item in strategy ?? [])
        {
            if (item.CapacityProvider is null || !(providers ?? []).Contains(item.CapacityProvider, StringComparer.Ordinal))
            {
                throw EcsErrors.InvalidParameter($"The capacity provider '{item.CapacityProvider}' in defaultCapacityProviderStrategy is not associated with the cluster.");
            }
            if (item.Weight is < 0 or > 1000 || item.Base is < 0 or > 100000)
            {
                throw EcsErrors.InvalidParameter("defaultCapacityProviderStrategy weight must be 0-1000 and base 0-100000.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex ClusterNamePattern();
}
