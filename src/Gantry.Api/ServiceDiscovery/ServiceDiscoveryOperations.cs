using Gantry.Api.Front;
using Gantry.ControlPlane.Discovery;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Arns;
using Gantry.Domain.ServiceDiscovery;
using Gantry.Store;

namespace Gantry.Api.ServiceDiscovery;

/// <summary>Declares AWS Cloud Map (<see cref="ServiceDiscoveryModel"/>, AWS JSON 1.1, signed for <c>servicediscovery</c>) and registers its operations.</summary>
public static class ServiceDiscoveryOperations
{
    /// <param name="networks">The EC2 subset's networks, which a private DNS namespace's VPC must be one of.</param>
    public static AwsOperationTable.Builder MapServiceDiscovery(this AwsOperationTable.Builder table, Documents documents, NetworkDirectory networks, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(networks);
        var arns = new DiscoveryArns(networks.Account);
        var registry = new DiscoveryRegistry(documents, arns, time);
        var namespaces = new NamespaceOperations(documents, networks, arns, time);
        var services = new DiscoveryServiceOperations(documents, namespaces, registry, arns, time);
        var instances = new InstanceOperations(documents, registry);
        var discovery = new InstanceDiscovery(documents, registry);
        var operations = new OperationOperations(documents);
        var tags = new DiscoveryTagOperations(documents, arns);
        const string sd = ServiceDiscoveryModel.Name;
        return table
            .Service(sd, ServiceDiscoveryModel.SigningName)
            .Map<CreatePrivateDnsNamespaceRequest, CreatePrivateDnsNamespaceResponse>(sd, "CreatePrivateDnsNamespace", (r, _, ct) => namespaces.CreatePrivateDnsAsync(r, ct))
            .Map<CreateHttpNamespaceRequest, CreateHttpNamespaceResponse>(sd, "CreateHttpNamespace", (r, _, ct) => namespaces.CreateHttpAsync(r, ct))
            .Map<CreatePublicDnsNamespaceRequest, CreatePublicDnsNamespaceResponse>(sd, "CreatePublicDnsNamespace", (r, _, _) => NamespaceOperations.CreatePublicDnsAsync(r))
            .Map<GetNamespaceRequest, GetNamespaceResponse>(sd, "GetNamespace", (r, _, ct) => namespaces.GetAsync(r, ct))
            .Map<ListNamespacesRequest, ListNamespacesResponse>(sd, "ListNamespaces", (r, _, ct) => namespaces.ListAsync(r, ct))
            .Map<DeleteNamespaceRequest, DeleteNamespaceResponse>(sd, "DeleteNamespace", (r, _, ct) => namespaces.DeleteAsync(r, ct))
            .Map<UpdatePrivateDnsNamespaceRequest, UpdatePrivateDnsNamespaceResponse>(sd, "UpdatePrivateDnsNamespace", (r, _, ct) => namespaces.UpdatePrivateDnsAsync(r, ct))
            .Map<UpdateHttpNamespaceRequest, UpdateHttpNamespaceResponse>(sd, "UpdateHttpNamespace", (r, _, ct) => namespaces.UpdateHttpAsync(r, ct))
            .Map<CreateServiceRequest, CreateServiceResponse>(sd, "CreateService", (r, _, ct) => services.CreateAsync(r, ct))
            .Map<GetServiceRequest, GetServiceResponse>(sd, "GetService", (r, _, ct) => services.GetAsync(r, ct))
            .Map<UpdateServiceRequest, UpdateServiceResponse>(sd, "UpdateService", (r, _, ct) => services.UpdateAsync(r, ct))
            .Map<DeleteServiceRequest, DeleteServiceResponse>(sd, "DeleteService", (r, _, ct) => services.DeleteAsync(r, ct))
            .Map<ListServicesRequest, ListServicesResponse>(sd, "ListServices", (r, _, ct) => services.ListAsync(r, ct))
            .Map<RegisterInstanceRequest, RegisterInstanceResponse>(sd, "RegisterInstance", (r, _, ct) => instances.RegisterAsync(r, ct))
            .Map<DeregisterInstanceRequest, DeregisterInstanceResponse>(sd, "DeregisterInstance", (r, _, ct) => instances.DeregisterAsync(r, ct))
            .Map<GetInstanceRequest, GetInstanceResponse>(sd, "GetInstance", (r, _, ct) => instances.GetAsync(r, ct))
            .Map<ListInstancesRequest, ListInstancesResponse>(sd, "ListInstances", (r, _, ct) => instances.ListAsync(r, ct))
            .Map<GetInstancesHealthStatusRequest, GetInstancesHealthStatusResponse>(sd, "GetInstancesHealthStatus", (r, _, ct) => instances.HealthStatusAsync(r, ct))
            .Map<UpdateInstanceCustomHealthStatusRequest>(sd, "UpdateInstanceCustomHealthStatus", (r, _, ct) => instances.UpdateCustomHealthAsync(r, ct))
            .Map<DiscoverInstancesRequest, DiscoverInstancesResponse>(sd, "DiscoverInstances", (r, _, ct) => discovery.DiscoverAsync(r, ct))
            .Map<DiscoverInstancesRevisionRequest, DiscoverInstancesRevisionResponse>(sd, "DiscoverInstancesRevision", (r, _, ct) => discovery.RevisionAsync(r, ct))
            .Map<GetOperationRequest, GetOperationResponse>(sd, "GetOperation", (r, _, ct) => operations.GetAsync(r, ct))
            .Map<ListOperationsRequest, ListOperationsResponse>(sd, "ListOperations", (r, _, ct) => operations.ListAsync(r, ct))
            .Map<TagResourceRequest, TagResourceResponse>(sd, "TagResource", (r, _, ct) => tags.TagAsync(r, ct))
            .Map<UntagResourceRequest, UntagResourceResponse>(sd, "UntagResource", (r, _, ct) => tags.UntagAsync(r, ct))
            .Map<ListTagsForResourceRequest, ListTagsForResourceResponse>(sd, "ListTagsForResource", (r, _, ct) => tags.ListAsync(r, ct));
    }
}
