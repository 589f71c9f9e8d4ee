using Gantry.Api.Front;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>
/// Declares the EC2 service (<see cref="Ec2Model"/>, protocol ec2, signed for <c>ec2</c>) and registers its network
/// operations. Every operation first makes sure the default network exists (and has a subnet in every zone).
/// </summary>
public static class Ec2Operations
{
    public static AwsService Service { get; } = AwsService.Ec2(Ec2Model.Name, Ec2Model.SigningName, Ec2Model.Version, Ec2Model.XmlNamespace);

    public static AwsOperationTable.Builder MapEc2(this AwsOperationTable.Builder table, NetworkDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(directory);
        var changes = new NetworkChanges(directory);
        var vpcs = new VpcOperations(directory, changes);
        var groups = new SecurityGroupOperations(directory, changes);
        var interfaces = new NetworkInterfaceOperations(directory);
        var tags = new Ec2TagOperations(directory, changes);
        const string ec2 = Ec2Model.Name;

        Func<TRequest, AwsCallContext, CancellationToken, Task<TResult>> Ensured<TRequest, TResult>(Func<TRequest, CancellationToken, Task<TResult>> handler) =>
            async (request, _, ct) =>
            {
                await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
                return await handler(request, ct).ConfigureAwait(false);
            };

        Func<TRequest, AwsCallContext, CancellationToken, Task> EnsuredVoid<TRequest>(Func<TRequest, CancellationToken, Task> handler) =>
            async (request, _, ct) =>
            {
                await directory.EnsureDefaultNetworkAsync(ct).ConfigureAwait(false);
                await handler(request, ct).ConfigureAwait(false);
            };

        return table
            .Service(Service)
            .Map(ec2, "DescribeAvailabilityZones", Ensured<DescribeAvailabilityZonesRequest, DescribeAvailabilityZonesResult>(vpcs.DescribeAvailabilityZonesAsync))
            .Map(ec2, "DescribeVpcs", Ensured<DescribeVpcsRequest, DescribeVpcsResult>(vpcs.DescribeVpcsAsync))
            .Map(ec2, "CreateVpc", Ensured<CreateVpcRequest, CreateVpcResult>(vpcs.CreateVpcAsync))
            .Map(ec2, "DeleteVpc", EnsuredVoid<DeleteVpcRequest>(vpcs.DeleteVpcAsync))
            .Map(ec2, "DescribeSubnets", Ensured<DescribeSubnetsRequest, DescribeSubnetsResult>(vpcs.DescribeSubnetsAsync))
            .Map(ec2, "CreateSubnet", Ensured<CreateSubnetRequest, CreateSubnetResult>(vpcs.CreateSubnetAsync))
            .Map(ec2, "DeleteSubnet", EnsuredVoid<DeleteSubnetRequest>(vpcs.DeleteSubnetAsync))
            .Map(ec2, "CreateSecurityGroup", Ensured<CreateSecurityGroupRequest, CreateSecurityGroupResult>(groups.CreateAsync))
            .Map(ec2, "DescribeSecurityGroups", Ensured<DescribeSecurityGroupsRequest, DescribeSecurityGroupsResult>(groups.DescribeAsync))
            .Map(ec2, "DeleteSecurityGroup", Ensured<DeleteSecurityGroupRequest, DeleteSecurityGroupResult>(groups.DeleteAsync))
            .Map(ec2, "AuthorizeSecurityGroupIngress", Ensured<AuthorizeSecurityGroupIngressRequest, AuthorizeSecurityGroupIngressResult>(groups.AuthorizeIngressAsync))
            .Map(ec2, "AuthorizeSecurityGroupEgress", Ensured<AuthorizeSecurityGroupEgressRequest, AuthorizeSecurityGroupEgressResult>(groups.AuthorizeEgressAsync))
            .Map(ec2, "RevokeSecurityGroupIngress", Ensured<RevokeSecurityGroupIngressRequest, RevokeSecurityGroupIngressResult>(groups.RevokeIngressAsync))
            .Map(ec2, "RevokeSecurityGroupEgress", Ensured<RevokeSecurityGroupEgressRequest, RevokeSecurityGroupEgressResult>(groups.RevokeEgressAsync))
            .Map(ec2, "DescribeSecurityGroupRules", Ensured<DescribeSecurityGroupRulesRequest, DescribeSecurityGroupRulesResult>(groups.DescribeRulesAsync))
            .Map(ec2, "DescribeNetworkInterfaces", Ensured<DescribeNetworkInterfacesRequest, DescribeNetworkInterfacesResult>(interfaces.DescribeAsync))
            .Map(ec2, "CreateTags", EnsuredVoid<CreateTagsRequest>(tags.CreateAsync))
            .Map(ec2, "DeleteTags", EnsuredVoid<DeleteTagsRequest>(tags.DeleteAsync))
            .Map(ec2, "DescribeTags", Ensured<DescribeTagsRequest, DescribeTagsResult>(tags.DescribeAsync));
    }
}
