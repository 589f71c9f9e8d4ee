using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ecs;

/// <summary>
/// An awsvpc launch's subnets and security groups against the EC2 network, as ECS checks them (its wording, which quotes
/// EC2's): every subnet and group must exist, all in one VPC (at most 16 subnets, 5 groups); without groups the task gets
/// its VPC's default security group, which is stored with the task so its firewall follows that group.
/// </summary>
public sealed class AwsvpcNetworkRules(NetworkDirectory networks)
{
    public const int MaxSubnets = 16, MaxSecurityGroups = 5;

    /// <summary>The configuration to store (default group filled in), or <paramref name="network"/> unchanged when not awsvpc.</summary>
    public async Task<NetworkConfiguration?> ResolveAsync(NetworkConfiguration? network, CancellationToken ct)
    {
        if (network?.AwsvpcConfiguration is not { Subnets: { Count: > 0 } subnets } awsvpc)
        {
            return network;
        }
        if (subnets.Count > MaxSubnets)
        {
            throw EcsErrors.InvalidParameter($"subnets can have at most {MaxSubnets} items.");
        }
        string? vpc = null;
        foreach (var id in subnets)
        {
            var subnet = await networks.FindSubnetAsync(id, ct).ConfigureAwait(false)
                ?? throw EcsErrors.InvalidParameter($"Error retrieving subnet information for [{id}]: The subnet ID '{id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)");
            if (vpc is not null && subnet.VpcId != vpc)
            {
                throw EcsErrors.InvalidParameter("Subnets provided must all be in the same VPC.");
            }
            vpc = subnet.VpcId;
        }
        var groups = awsvpc.SecurityGroups ?? [];
        if (groups.Count > MaxSecurityGroups)
        {
            throw EcsErrors.InvalidParameter($"securityGroups can have at most {MaxSecurityGroups} items.");
        }
        foreach (var id in groups)
        {
            var group = await networks.FindSecurityGroupAsync(id, ct).ConfigureAwait(false)
                ?? throw EcsErrors.InvalidParameter($"Error retrieving security group information for [{id}]: The security group '{id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)");
            if (group.VpcId != vpc)
            {
                throw EcsErrors.InvalidParameter($"Security group {id} is in VPC {group.VpcId}, not in the subnets' VPC {vpc}.");
            }
        }
        return groups.Count > 0 ? network
            : network with { AwsvpcConfiguration = awsvpc with { SecurityGroups = [(await networks.DefaultSecurityGroupAsync(vpc!, ct).ConfigureAwait(false)).Id] } };
    }
}
