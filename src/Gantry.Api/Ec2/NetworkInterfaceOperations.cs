using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>DescribeNetworkInterfaces: the interfaces ECS keeps for awsvpc tasks (through <see cref="NetworkDirectory"/>).</summary>
public sealed class NetworkInterfaceOperations(NetworkDirectory directory)
{
    private static readonly Ec2Filters<NetworkInterfaceRecord> Filters = new(new Dictionary<string, Func<NetworkInterfaceRecord, IEnumerable<string?>>>(StringComparer.Ordinal)
    {
        ["network-interface-id"] = i => FilterValues.Of(i.Id),
        ["subnet-id"] = i => FilterValues.Of(i.SubnetId),
        ["vpc-id"] = i => FilterValues.Of(i.VpcId),
        ["availability-zone"] = i => FilterValues.Of(i.AvailabilityZone),
        ["group-id"] = i => i.SecurityGroupIds,
        ["status"] = i => FilterValues.Of(i.Status),
        ["description"] = i => FilterValues.Of(i.Description),
        ["private-ip-address"] = i => FilterValues.Of(i.PrivateIpAddress),
        ["addresses.private-ip-address"] = i => FilterValues.Of(i.PrivateIpAddress),
        ["interface-type"] = i => FilterValues.Of(i.InterfaceType),
        ["requester-id"] = i => FilterValues.Of(i.RequesterId),
        ["requester-managed"] = i => FilterValues.Of(i.RequesterManaged),
        ["owner-id"] = _ => [],
    }, i => i.Tags ?? []);

    private readonly NetworkShapes _shapes = new(directory.Account);

    public async Task<DescribeNetworkInterfacesResult> DescribeAsync(DescribeNetworkInterfacesRequest request, CancellationToken ct)
    {
        var filter = Filters.Compile(request.Filters);
        var interfaces = Ec2Ids.Select(await directory.InterfacesAsync(ct).ConfigureAwait(false), i => i.Id, request.NetworkInterfaceIds,
            NetworkErrors.InterfaceNotFound);
        var names = (await directory.SecurityGroupsAsync(ct).ConfigureAwait(false)).ToDictionary(g => g.Id, g => g.Name, StringComparer.Ordinal);
        if (request.MaxResults is not null && request.NetworkInterfaceIds is { Count: > 0 })
        {
            throw new Domain.Errors.AwsException("InvalidParameterCombination", "The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
        }
        var (page, next) = Ec2Paging.Page(interfaces.Where(filter), request.MaxResults, request.NextToken);
        return new DescribeNetworkInterfacesResult { NetworkInterfaces = [.. page.Select(i => _shapes.Interface(i, names))], NextToken = next };
    }
}
