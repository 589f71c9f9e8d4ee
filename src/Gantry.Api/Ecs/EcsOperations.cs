using Gantry.Api.Front;
using Gantry.Domain.Ecs;

namespace Gantry.Api.Ecs;

/// <summary>Registers the ECS operations under <c>AmazonEC2ContainerServiceV20141113</c>.</summary>
public static class EcsOperations
{
    /// <summary>The SigV4 signing name (the model's <c>aws.auth#sigv4</c> name).</summary>
    public const string SigningName = "ecs";

    public const string Prefix = "AmazonEC2ContainerServiceV20141113";

    public static AwsOperationTable.Builder MapEcs(
        this AwsOperationTable.Builder table, ClusterOperations clusters, TaskDefinitionOperations definitions,
        TaskDefinitionListing listing, TagOperations tags, ContainerInstanceOperations instances, AttributeOperations attributes,
        TaskOperations tasks, ServiceOperations services, CapacityProviderOperations capacityProviders) => table
        .Service(Prefix, SigningName)
        .Map<CreateClusterRequest, CreateClusterResponse>(Prefix, "CreateCluster", (r, _, ct) => clusters.CreateAsync(r, ct))
        .Map<DescribeClustersRequest, DescribeClustersResponse>(Prefix, "DescribeClusters", (r, _, ct) => clusters.DescribeAsync(r, ct))
        .Map<ListClustersRequest, ListClustersResponse>(Prefix, "ListClusters", (r, _, ct) => clusters.ListAsync(r, ct))
        .Map<UpdateClusterRequest, UpdateClusterResponse>(Prefix, "UpdateCluster", (r, _, ct) => clusters.UpdateAsync(r, ct))
        .Map<UpdateClusterSettingsRequest, UpdateClusterSettingsResponse>(Prefix, "UpdateClusterSettings", (r, _, ct) => clusters.UpdateSettingsAsync(r, ct))
        .Map<DeleteClusterRequest, DeleteClusterResponse>(Prefix, "DeleteCluster", (r, _, ct) => clusters.DeleteAsync(r, ct))
        .Map<PutClusterCapacityProvidersRequest, PutClusterCapacityProvidersResponse>(Prefix, "PutClusterCapacityProviders", (r, _, ct) => clusters.PutCapacityProvidersAsync(r, ct))
        .Map<CreateCapacityProviderRequest, CreateCapacityProviderResponse>(Prefix, "CreateCapacityProvider", (r, _, ct) => capacityProviders.CreateAsync(r, ct))
        .Map<DescribeCapacityProvidersRequest, DescribeCapacityProvidersResponse>(Prefix, "DescribeCapacityProviders", (r, _, ct) => capacityProviders.DescribeAsync(r, ct))
        .Map<UpdateCapacityProviderRequest, UpdateCapacityProviderResponse>(Prefix, "UpdateCapacityProvider", (r, _, ct) => capacityProviders.UpdateAsync(r, ct))
        .Map<DeleteCapacityProviderRequest, DeleteCapacityProviderResponse>(Prefix, "DeleteCapacityProvider", (r, _, ct) => capacityProviders.DeleteAsync(r, ct))
        .Map<TagResourceRequest, TagResourceResponse>(Prefix, "TagResource", (r, _, ct) => tags.TagAsync(r, ct))
        .Map<UntagResourceRequest, UntagResourceResponse>(Prefix, "UntagResource", (r, _, ct) => tags.UntagAsync(r, ct))
        .Map<ListTagsForResourceRequest, ListTagsForResourceResponse>(Prefix, "ListTagsForResource", (r, _, ct) => tags.ListAsync(r, ct))
        .Map<RegisterTaskDefinitionRequest, RegisterTaskDefinitionResponse>(Prefix, "RegisterTaskDefinition", (r, _, ct) => definitions.RegisterAsync(r, ct))
        .Map<DescribeTaskDefinitionRequest, DescribeTaskDefinitionResponse>(Prefix, "DescribeTaskDefinition", (r, _, ct) => definitions.DescribeAsync(r, ct))
        .Map<DeregisterTaskDefinitionRequest, DeregisterTaskDefinitionResponse>(Prefix, "DeregisterTaskDefinition", (r, _, ct) => definitions.DeregisterAsync(r, ct))
        .Map<DeleteTaskDefinitionsRequest, DeleteTaskDefinitionsResponse>(Prefix, "DeleteTaskDefinitions", (r, _, ct) => definitions.DeleteAsync(r, ct))
        .Map<ListTaskDefinitionsRequest, ListTaskDefinitionsResponse>(Prefix, "ListTaskDefinitions", (r, _, ct) => listing.ListAsync(r, ct))
        .Map<ListTaskDefinitionFamiliesRequest, ListTaskDefinitionFamiliesResponse>(Prefix, "ListTaskDefinitionFamilies", (r, _, ct) => listing.ListFamiliesAsync(r, ct))
        .Map<RegisterContainerInstanceRequest, RegisterContainerInstanceResponse>(Prefix, "RegisterContainerInstance", (r, _, ct) => instances.RegisterAsync(r, ct))
        .Map<DescribeContainerInstancesRequest, DescribeContainerInstancesResponse>(Prefix, "DescribeContainerInstances", (r, _, ct) => instances.DescribeAsync(r, ct))
        .Map<ListContainerInstancesRequest, ListContainerInstancesResponse>(Prefix, "ListContainerInstances", (r, _, ct) => instances.ListAsync(r, ct))
        .Map<DeregisterContainerInstanceRequest, DeregisterContainerInstanceResponse>(Prefix, "DeregisterContainerInstance", (r, _, ct) => instances.DeregisterAsync(r, ct))
        .Map<UpdateContainerInstancesStateRequest, UpdateContainerInstancesStateResponse>(Prefix, "UpdateContainerInstancesState", (r, _, ct) => instances.UpdateStateAsync(r, ct))
        .Map<PutAttributesRequest, PutAttributesResponse>(Prefix, "PutAttributes", (r, _, ct) => attributes.PutAsync(r, ct))
        .Map<DeleteAttributesRequest, DeleteAttributesResponse>(Prefix, "DeleteAttributes", (r, _, ct) => attributes.DeleteAsync(r, ct))
        .Map<ListAttributesRequest, ListAttributesResponse>(Prefix, "ListAttributes", (r, _, ct) => attributes.ListAsync(r, ct))
        .Map<RunTaskRequest, RunTaskResponse>(Prefix, "RunTask", (r, _, ct) => tasks.RunAsync(r, ct))
        .Map<StartTaskRequest, StartTaskResponse>(Prefix, "StartTask", (r, _, ct) => tasks.StartAsync(r, ct))
        .Map<StopTaskRequest, StopTaskResponse>(Prefix, "StopTask", (r, _, ct) => tasks.StopAsync(r, ct))
        .Map<DescribeTasksRequest, DescribeTasksResponse>(Prefix, "DescribeTasks", (r, _, ct) => tasks.DescribeAsync(r, ct))
        .Map<ListTasksRequest, ListTasksResponse>(Prefix, "ListTasks", (r, _, ct) => tasks.ListAsync(r, ct))
        .Map<CreateServiceRequest, CreateServiceResponse>(Prefix, "CreateService", (r, _, ct) => services.CreateAsync(r, ct))
        .Map<UpdateServiceRequest, UpdateServiceResponse>(Prefix, "UpdateService", (r, _, ct) => services.UpdateAsync(r, ct))
        .Map<DeleteServiceRequest, DeleteServiceResponse>(Prefix, "DeleteService", (r, _, ct) => services.DeleteAsync(r, ct))
        .Map<DescribeServicesRequest, DescribeServicesResponse>(Prefix, "DescribeServices", (r, _, ct) => services.DescribeAsync(r, ct))
        .Map<ListServicesRequest, ListServicesResponse>(Prefix, "ListServices", (r, _, ct) => services.ListAsync(r, ct))
        .Map<ListServicesByNamespaceRequest, ListServicesByNamespaceResponse>(Prefix, "ListServicesByNamespace", (r, _, ct) => services.ListByNamespaceAsync(r, ct));
}
