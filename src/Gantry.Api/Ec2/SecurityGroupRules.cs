using System.Globalization;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;
using Gantry.Domain.Errors;

namespace Gantry.Api.Ec2;

/// <summary>
/// What Authorize/RevokeSecurityGroupIngress/Egress ask for, whichever form the request takes: IpPermissions (one rule per
/// IpRange and per UserIdGroupPair), or the legacy flat members (CidrIp / SourceSecurityGroupName with IpProtocol,
/// FromPort, ToPort). Protocols are normalised as EC2 stores them (tcp, udp, icmp, a number, or -1 for all, which has no ports).
/// </summary>
internal static class SecurityGroupRules
{
    /// <summary>A request's rule members in one form.</summary>
    public sealed record Request(IReadOnlyList<IpPermission>? IpPermissions, string? CidrIp, string? IpProtocol, int? FromPort, int? ToPort,
        string? SourceSecurityGroupName, string? SourceSecurityGroupOwnerId)
    {
        /// <summary>The legacy flat members given, by request name.</summary>
        public IEnumerable<string> FlatMembers() =>
            new (string Name, object? Value)[]
            {
                ("CidrIp", CidrIp), ("IpProtocol", IpProtocol), ("FromPort", FromPort), ("ToPort", ToPort),
                ("SourceSecurityGroupName", SourceSecurityGroupName), ("SourceSecurityGroupOwnerId", SourceSecurityGroupOwnerId),
            }.Where(m => m.Value is not null).Select(m => m.Name);
    }

    /// <summary>The rules asked for, sources resolved (a group named by id, or by name in <paramref name="group"/>'s VPC), with fresh ids.</summary>
    public static async Task<IReadOnlyList<SecurityGroupRuleRecord>> ParseAsync(Request request, SecurityGroupRecord group, bool egress,
        NetworkDirectory directory, CancellationToken ct)
    {
        if (request.IpPermissions is { Count: > 0 } && request.FlatMembers().FirstOrDefault() is { } flat)
        {
            throw NetworkErrors.Combination($"The parameter IpPermissions cannot be used with the parameter {flat}");
        }
        Account(request.SourceSecurityGroupOwnerId, "SourceSecurityGroupOwnerId", directory);
        var permissions = request.IpPermissions is { Count: > 0 } given ? given : [Flat(request)];
        var rules = new List<SecurityGroupRuleRecord>();
        foreach (var permission in permissions)
        {
            var protocol = Protocol(permission.IpProtocol);
            var (from, to) = Ports(protocol, permission.FromPort, permission.ToPort);
            Ec2Unsupported.Refuse(Ec2Unsupported.Ipv6, ("IpPermissions.N.Ipv6Ranges", permission.Ipv6Ranges));
            Ec2Unsupported.Refuse("it has no managed prefix lists; give IPv4 CIDRs (IpRanges) or security groups (UserIdGroupPairs).",
                ("IpPermissions.N.PrefixListIds", permission.PrefixListIds));
            foreach (var range in permission.IpRanges ?? [])
            {
                rules.Add(New(egress, protocol, from, to, Cidr(range.CidrIp), null, range.Description));
            }
            foreach (var pair in permission.UserIdGroupPairs ?? [])
            {
                var source = await SourceAsync(pair, group, directory, ct).ConfigureAwait(false);
                rules.Add(New(egress, protocol, from, to, null, source, pair.Description));
            }
            if (permission.IpRanges is not { Count: > 0 } && permission.UserIdGroupPairs is not { Count: > 0 })
            {
                throw NetworkErrors.Missing("ipPermissions.ipRanges or ipPermissions.groups");
            }
        }
        return rules;
    }

    /// <summary>Whether two rules allow the same traffic (ids and descriptions aside).</summary>
    public static bool Same(SecurityGroupRuleRecord a, SecurityGroupRuleRecord b) =>
        a.IsEgress == b.IsEgress && a.IpProtocol == b.IpProtocol && a.FromPort == b.FromPort && a.ToPort == b.ToPort
        && a.CidrIpv4 == b.CidrIpv4 && a.ReferencedGroupId == b.ReferencedGroupId;

    /// <summary>EC2's words for a rule that is already there.</summary>
    public static AwsException Duplicate(SecurityGroupRuleRecord rule)
    {
        var protocol = rule.IpProtocol == "-1" ? "ALL" : rule.IpProtocol.ToUpperInvariant();
        var ports = rule.FromPort is { } from ? string.Create(CultureInfo.InvariantCulture, $", from port: {from}, to port: {rule.ToPort}") : "";
        return new AwsException("InvalidPermission.Duplicate",
            $"the specified rule \"peer: {rule.CidrIpv4 ?? rule.ReferencedGroupId}, {protocol}{ports}, ALLOW\" already exists");
    }

    public static AwsException NotFound() => new("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");

    private static IpPermission Flat(Request request)
    {
        if (request.CidrIp is null && request.SourceSecurityGroupName is null)
        {
            throw NetworkErrors.Missing("ipPermissions");
        }
        return new IpPermission
        {
            IpProtocol = request.IpProtocol ?? (request.SourceSecurityGroupName is not null ? "-1" : null),
            FromPort = request.FromPort,
            ToPort = request.ToPort,
            IpRanges = request.CidrIp is { } cidr ? [new IpRange { CidrIp = cidr }] : null,
            UserIdGroupPairs = request.SourceSecurityGroupName is { } name ? [new UserIdGroupPair { GroupName = name }] : null,
        };
    }

    private static string Protocol(string? protocol) => protocol?.ToLowerInvariant() switch
    {
        null or "" => throw NetworkErrors.Missing("ipPermissions.ipProtocol"),
        "tcp" or "6" => "tcp",
        "udp" or "17" => "udp",
        "icmp" or "1" => "icmp",
        "-1" or "all" => "-1",
        var number when int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 255 => number,
        _ => throw NetworkErrors.Invalid($"Invalid value '{protocol}' for IP protocol. Unknown protocol."),
    };

    private static (int? From, int? To) Ports(string protocol, int? from, int? to)
    {
        switch (protocol)
        {
            case "tcp" or "udp":
                if (from is null || to is null)
                {
                    throw NetworkErrors.Invalid($"Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
                }
                if (from is < 0 or > 65535 || to is < 0 or > 65535 || from > to)
                {
                    throw NetworkErrors.Invalid(string.Create(CultureInfo.InvariantCulture,
                        $"Invalid value '{from}-{to}' for portRange. Ports must be 0-65535 and the start no greater than the end."));
                }
                return (from, to);
            case "icmp":
                return (from ?? -1, to ?? -1);
            case "-1":
                return (null, null);
            default:
                return (from, to);
        }
    }

    private static string Cidr(string? cidr) => SubnetAddresses.TryParse(cidr, out var network)
        ? network.ToString()
        : throw NetworkErrors.InvalidValue(cidr, "cidrIp", "CIDR block " + cidr + " is malformed");

    /// <summary>
    /// The group a pair names (by name: in <paramref name="group"/>'s VPC). A pair's UserId, when given, must be this account and its
    /// VpcId the named group's VPC; peering is refused.
    /// </summary>
    private static async Task<string> SourceAsync(UserIdGroupPair pair, SecurityGroupRecord group, NetworkDirectory directory, CancellationToken ct)
    {
        Ec2Unsupported.Refuse("it has no VPC peering.", ("IpPermissions.N.Groups.N.VpcPeeringConnectionId", pair.VpcPeeringConnectionId),
            ("IpPermissions.N.Groups.N.PeeringStatus", pair.PeeringStatus));
        Account(pair.UserId, "IpPermissions.N.Groups.N.UserId", directory);
        var source = await SourceGroupAsync(pair, group, directory, ct).ConfigureAwait(false);
        return pair.VpcId is not { } vpcId || vpcId == source.VpcId ? source.Id
            : throw NetworkErrors.InvalidValue(vpcId, "vpcId", $"The security group '{source.Id}' is in VPC '{source.VpcId}'.");
    }

    /// <summary>An account id given with a rule: only this account's groups exist.</summary>
    private static void Account(string? accountId, string parameter, NetworkDirectory directory)
    {
        if (accountId is not null && accountId != directory.Account.AccountId)
        {
            throw NetworkErrors.NotSupported($"{parameter} '{accountId}'", $"only this account's ({directory.Account.AccountId}) security groups can be referenced.");
        }
    }

    private static async Task<SecurityGroupRecord> SourceGroupAsync(UserIdGroupPair pair, SecurityGroupRecord group, NetworkDirectory directory, CancellationToken ct)
    {
        if (pair.GroupId is { } id)
        {
            return await directory.FindSecurityGroupAsync(id, ct).ConfigureAwait(false) ?? throw NetworkErrors.GroupNotFound(id);
        }
        if (pair.GroupName is { } name)
        {
            return await directory.FindGroupByNameAsync(group.VpcId, name, ct).ConfigureAwait(false) ?? throw NetworkErrors.GroupNameNotFound(name, group.VpcId);
        }
        throw NetworkErrors.Missing("groupId");
    }

    private static SecurityGroupRuleRecord New(bool egress, string protocol, int? from, int? to, string? cidr, string? group, string? description) =>
        new(NetworkIds.New(NetworkIds.SecurityGroupRule), egress, protocol, from, to, cidr, group, description);
}
