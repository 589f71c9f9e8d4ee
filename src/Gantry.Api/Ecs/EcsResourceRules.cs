using Gantry.Api.Authorization;
using Gantry.ControlPlane.State;
using Gantry.ControlPlane.TaskDefinitions;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Store;

namespace Gantry.Api.Ecs;

/// <summary>
/// The resources of ECS's actions, as the service authorization reference lists them: clusters for cluster operations,
/// the task definition for RunTask/StartTask/CreateService (a bare family means its newest ACTIVE revision), services,
/// tasks and container instances by their ARNs, each with the <c>ecs:cluster</c> key; a cluster's tags as
/// aws:ResourceTag/*. Operations not listed here (ListClusters, RegisterTaskDefinition, ListTaskDefinitions, account
/// settings…) have no resource-level permissions: "*".
/// </summary>
public static class EcsResourceRules
{
    private const string Prefix = EcsOperations.Prefix;

    public static ResourceRules.Builder MapEcsResources(this ResourceRules.Builder rules, Documents documents, EcsArns arns)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var definitions = new TaskDefinitionLookup(documents, arns);

        async ValueTask<IReadOnlyList<AuthorizationTarget>> Clusters(IEnumerable<string?> references, CancellationToken ct)
        {
            var targets = new List<AuthorizationTarget>();
            foreach (var name in references.Select(arns.ClusterOf).Distinct(StringComparer.Ordinal))
            {
                var cluster = await documents.GetAsync<Cluster>(Kinds.Cluster, name, ct).ConfigureAwait(false);
                targets.Add(new AuthorizationTarget(arns.Cluster(name), ResourceTags: cluster?.Value.Tags?.Select(t => new KeyValuePair<string, string>(t.Key ?? "", t.Value ?? "")).ToList()));
            }
            return targets;
        }

        ValueTask<IReadOnlyList<AuthorizationTarget>> Cluster(string? reference, CancellationToken ct) => Clusters([reference], ct);

        IReadOnlyList<KeyValuePair<string, string>> ClusterKey(string? cluster) => [new("ecs:cluster", arns.Cluster(arns.ClusterOf(cluster)))];

        IReadOnlyList<AuthorizationTarget> InCluster(string? cluster, IEnumerable<string> resources) =>
            [.. resources.Distinct(StringComparer.Ordinal).Select(arn => new AuthorizationTarget(arn, Keys: ClusterKey(cluster)))];

        string Task(string? cluster, string reference) =>
            reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : arns.Task(arns.ClusterOf(cluster), reference);

        string Service(string? cluster, string reference) =>
            reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : arns.Service(arns.ClusterOf(cluster), reference);

        string Instance(string? cluster, string reference) =>
            reference.StartsWith("arn:", StringComparison.Ordinal) ? reference : arns.ContainerInstance(arns.ClusterOf(cluster), reference);

        async ValueTask<IReadOnlyList<AuthorizationTarget>> Definition(string? cluster, string? reference, CancellationToken ct)
        {
            if (string.IsNullOrEmpty(reference) || !arns.TryParseTaskDefinition(reference, out var family, out var revision))
            {
                return InCluster(cluster, ["*"]); // the handler refuses it with ECS's own error
            }
            var resolved = revision ?? (await documents.GetAsync<TaskDefinitionFamilyRecord>(Kinds.TaskDefinitionFamily, family, ct).ConfigureAwait(false))
                ?.Value.LatestActiveRevision;
            return InCluster(cluster, [resolved is { } number and > 0 ? arns.TaskDefinition(family, number) : arns.TaskDefinitionFamily(family)]);
        }

        return rules
            .For<DescribeClustersRequest>(Prefix, "DescribeClusters", (r, ct) => Clusters(r.Clusters is { Count: > 0 } c ? c : [EcsArns.DefaultCluster], ct))
            .For<CreateClusterRequest>(Prefix, "CreateCluster", r => [new AuthorizationTarget(arns.Cluster(arns.ClusterOf(r.ClusterName)))])
            .For<UpdateClusterRequest>(Prefix, "UpdateCluster", (r, ct) => Cluster(r.Cluster, ct))
            .For<UpdateClusterSettingsRequest>(Prefix, "UpdateClusterSettings", (r, ct) => Cluster(r.Cluster, ct))
            .For<DeleteClusterRequest>(Prefix, "DeleteCluster", (r, ct) => Cluster(r.Cluster, ct))
            .For<PutClusterCapacityProvidersRequest>(Prefix, "PutClusterCapacityProviders", (r, ct) => Cluster(r.Cluster, ct))
            .For<ListContainerInstancesRequest>(Prefix, "ListContainerInstances", (r, ct) => Cluster(r.Cluster, ct))
            .For<RegisterContainerInstanceRequest>(Prefix, "RegisterContainerInstance", (r, ct) => Cluster(r.Cluster, ct))
            .For<DeregisterContainerInstanceRequest>(Prefix, "DeregisterContainerInstance", (r, ct) => Cluster(r.Cluster, ct))
            .For<PutAttributesRequest>(Prefix, "PutAttributes", (r, ct) => Cluster(r.Cluster, ct))
            .For<DeleteAttributesRequest>(Prefix, "DeleteAttributes", (r, ct) => Cluster(r.Cluster, ct))
            .For<ListAttributesRequest>(Prefix, "ListAttributes", (r, ct) => Cluster(r.Cluster, ct))
            .For<DescribeContainerInstancesRequest>(Prefix, "DescribeContainerInstances",
                r => InCluster(r.Cluster, (r.ContainerInstances ?? []).Select(i => Instance(r.Cluster, i))))
            .For<UpdateContainerInstancesStateRequest>(Prefix, "UpdateContainerInstancesState",
                r => InCluster(r.Cluster, (r.ContainerInstances ?? []).Select(i => Instance(r.Cluster, i))))
            .For<RunTaskRequest>(Prefix, "RunTask", (r, ct) => Definition(r.Cluster, r.TaskDefinition, ct))
            .For<StartTaskRequest>(Prefix, "StartTask", (r, ct) => Definition(r.Cluster, r.TaskDefinition, ct))
            .For<StopTaskRequest>(Prefix, "StopTask", r => InCluster(r.Cluster, r.Task is null ? [] : [Task(r.Cluster, r.Task)]))
            .For<DescribeTasksRequest>(Prefix, "DescribeTasks", r => InCluster(r.Cluster, (r.Tasks ?? []).Select(t => Task(r.Cluster, t))))
            .For<ListTasksRequest>(Prefix, "ListTasks", r => InCluster(r.Cluster, ["*"]))
            .For<ListServicesRequest>(Prefix, "ListServices", r => InCluster(r.Cluster, ["*"]))
            .For<CreateServiceRequest>(Prefix, "CreateService", r => InCluster(r.Cluster, [Service(r.Cluster, r.ServiceName ?? "")]))
            .For<UpdateServiceRequest>(Prefix, "UpdateService", r => InCluster(r.Cluster, [Service(r.Cluster, r.Service ?? "")]))
            .For<DeleteServiceRequest>(Prefix, "DeleteService", r => InCluster(r.Cluster, [Service(r.Cluster, r.Service ?? "")]))
            .For<DescribeServicesRequest>(Prefix, "DescribeServices", r => InCluster(r.Cluster, (r.Services ?? []).Select(s => Service(r.Cluster, s))))
            .For<TagResourceRequest>(Prefix, "TagResource", r => [new AuthorizationTarget(r.ResourceArn ?? "*")])
            .For<UntagResourceRequest>(Prefix, "UntagResource", r => [new AuthorizationTarget(r.ResourceArn ?? "*")])
            .For<ListTagsForResourceRequest>(Prefix, "ListTagsForResource", r => [new AuthorizationTarget(r.ResourceArn ?? "*")]);
    }
}
