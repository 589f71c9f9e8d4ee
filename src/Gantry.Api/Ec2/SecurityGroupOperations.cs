using Gantry.ControlPlane.Networks;
using Gantry.Domain.Ec2;

namespace Gantry.Api.Ec2;

/// <summary>
/// Security groups and their rules: Create/Describe/DeleteSecurityGroup(s), Authorize/RevokeSecurityGroupIngress/Egress and
/// DescribeSecurityGroupRules. A group named rather than given by id is looked for in the default VPC, as EC2 does.
/// </summary>
public sealed class SecurityGroupOperations(NetworkDirectory directory, NetworkChanges changes)
{
    private static readonly Ec2Filters<SecurityGroupRecord> GroupFilters = new(new Dictionary<string, Func<SecurityGroupRecord, IEnumerable<string?>>>(StringComparer.Ordinal)
    {
        ["group-id"] = g => FilterValues.Of(g.Id),
        ["group-name"] = g => FilterValues.Of(g.Name),
        ["vpc-id"] = g => FilterValues.Of(g.VpcId),
        ["description"] = g => FilterValues.Of(g.Description),
        ["owner-id"] = _ => [],
        ["ip-permission.cidr"] = g => Ingress(g).Select(r => r.CidrIpv4),
        ["ip-permission.group-id"] = g => Ingress(g).Select(r => r.ReferencedGroupId),
        ["ip-permission.protocol"] = g => Ingress(g).Select(r => r.IpProtocol),
        ["ip-permission.from-port"] = g => Ingress(g).SelectMany(r => FilterValues.Of(r.FromPort)),
        ["ip-permission.to-port"] = g => Ingress(g).SelectMany(r => FilterValues.Of(r.ToPort)),
        ["egress.ip-permission.cidr"] = g => g.Rules.Where(r => r.IsEgress).Select(r => r.CidrIpv4),
        ["egress.ip-permission.group-id"] = g => g.Rules.Where(r => r.IsEgress).Select(r => r.ReferencedGroupId),
        ["egress.ip-permission.protocol"] = g => g.Rules.Where(r => r.IsEgress).Select(r => r.IpProtocol),
    }, g => g.Tags);

    private static readonly Ec2Filters<(SecurityGroupRecord Group, SecurityGroupRuleRecord Rule)> RuleFilters =
        new(new Dictionary<string, Func<(SecurityGroupRecord Group, SecurityGroupRuleRecord Rule), IEnumerable<string?>>>(StringComparer.Ordinal)
        {
            ["group-id"] = r => FilterValues.Of(r.Group.Id),
            ["security-group-rule-id"] = r => FilterValues.Of(r.Rule.Id),
        }, _ => []);

    private readonly NetworkShapes _shapes = new(directory.Account);

    /// <summary>What a VPC security group's name and description may hold besides ASCII letters, digits and spaces.</summary>
    private const string GroupPunctuation = "._-:/()#,@[]+=&;{}!$*";

    private static bool IsGroupText(string text) => text.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ' || GroupPunctuation.Contains(c, StringComparison.Ordinal));

    public async Task<CreateSecurityGroupResult> CreateAsync(CreateSecurityGroupRequest request, CancellationToken ct)
    {
        var name = string.IsNullOrEmpty(request.GroupName) ? throw NetworkErrors.Missing("groupName") : request.GroupName;
        var description = string.IsNullOrEmpty(request.Description) ? throw NetworkErrors.Missing("groupDescription") : request.Description;
        if (name.StartsWith("sg-", StringComparison.OrdinalIgnoreCase))
        {
            throw NetworkErrors.InvalidValue(name, "groupName", "Group names may not be in the format sg-*.");
        }
        if (name.Length > 255 || description.Length > 255)
        {
            throw NetworkErrors.Invalid("The group name and description may be at most 255 characters long.");
        }
        if (!IsGroupText(name) || !IsGroupText(description))
        {
            var (value, parameter) = IsGroupText(name) ? (description, "GroupDescription") : (name, "GroupName");
            throw NetworkErrors.InvalidValue(value, parameter, $"Valid characters: a-z, A-Z, 0-9, spaces, and {GroupPunctuation}");
        }
        var tags = Ec2Tags.FromSpecifications(request.TagSpecifications, "security-group");
        var group = await changes.CreateSecurityGroupAsync(request.VpcId ?? directory.DefaultVpcId, name, description, tags, ct).ConfigureAwait(false);
        return new CreateSecurityGroupResult { GroupId = group.Id, SecurityGroupArn = _shapes.Arn("security-group/" + group.Id), Tags = Ec2Tags.ToWire(tags) };
    }

    public async Task<DescribeSecurityGroupsResult> DescribeAsync(DescribeSecurityGroupsRequest request, CancellationToken ct)
    {
        var filter = GroupFilters.Compile(request.Filters);
        var groups = Ec2Ids.Select(await directory.SecurityGroupsAsync(ct).ConfigureAwait(false), g => g.Id, request.GroupIds, NetworkErrors.GroupNotFound);
        if (request.GroupNames is { Count: > 0 } names)
        {
            var inDefault = groups.Where(g => g.VpcId == directory.DefaultVpcId).ToList();
            groups = [.. names.Select(n => inDefault.Find(g => g.Name == n) ?? throw NetworkErrors.GroupNameNotFound(n, directory.DefaultVpcId))];
        }
        var (page, next) = Ec2Paging.Page(groups.Where(filter), request.MaxResults, request.NextToken);
        return new DescribeSecurityGroupsResult { SecurityGroups = [.. page.Select(_shapes.Group)], NextToken = next };
    }

    public async Task<DeleteSecurityGroupResult> DeleteAsync(DeleteSecurityGroupRequest request, CancellationToken ct)
    {
        var group = await GroupAsync(request.GroupId, request.GroupName, ct).ConfigureAwait(false);
        await changes.DeleteSecurityGroupAsync(group.Id, ct).ConfigureAwait(false);
        return new DeleteSecurityGroupResult { Return = true, GroupId = group.Id };
    }

    public async Task<DescribeSecurityGroupRulesResult> DescribeRulesAsync(DescribeSecurityGroupRulesRequest request, CancellationToken ct)
    {
        var filter = RuleFilters.Compile(request.Filters);
        var rules = (await directory.SecurityGroupsAsync(ct).ConfigureAwait(false)).SelectMany(g => g.Rules.Select(r => (Group: g, Rule: r))).ToList();
        var chosen = Ec2Ids.Select(rules, r => r.Rule.Id, request.SecurityGroupRuleIds,
            id => new Domain.Errors.AwsException("InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{id}' does not exist"));
        var (page, next) = Ec2Paging.Page(chosen.Where(filter), request.MaxResults, request.NextToken);
        return new DescribeSecurityGroupRulesResult { SecurityGroupRules = [.. page.Select(r => _shapes.Rule(r.Group, r.Rule))], NextToken = next };
    }

    public async Task<AuthorizeSecurityGroupIngressResult> AuthorizeIngressAsync(AuthorizeSecurityGroupIngressRequest r, CancellationToken ct) =>
        new()
        {
            Return = true,
            SecurityGroupRules = await AuthorizeAsync(r.GroupId, r.GroupName, egress: false, r.TagSpecifications,
                new(r.IpPermissions, r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort, r.SourceSecurityGroupName, r.SourceSecurityGroupOwnerId), ct).ConfigureAwait(false),
        };

    public async Task<AuthorizeSecurityGroupEgressResult> AuthorizeEgressAsync(AuthorizeSecurityGroupEgressRequest r, CancellationToken ct) =>
        new()
        {
            Return = true,
            SecurityGroupRules = await AuthorizeAsync(r.GroupId, null, egress: true, r.TagSpecifications,
                new(r.IpPermissions, r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort, r.SourceSecurityGroupName, r.SourceSecurityGroupOwnerId), ct).ConfigureAwait(false),
        };

    public async Task<RevokeSecurityGroupIngressResult> RevokeIngressAsync(RevokeSecurityGroupIngressRequest r, CancellationToken ct)
    {
        var (revoked, unknown) = await RevokeAsync(r.GroupId, r.GroupName, egress: false, r.SecurityGroupRuleIds,
            new(r.IpPermissions, r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort, r.SourceSecurityGroupName, r.SourceSecurityGroupOwnerId), ct).ConfigureAwait(false);
        return new RevokeSecurityGroupIngressResult { Return = true, RevokedSecurityGroupRules = revoked, UnknownIpPermissions = unknown };
    }

    public async Task<RevokeSecurityGroupEgressResult> RevokeEgressAsync(RevokeSecurityGroupEgressRequest r, CancellationToken ct)
    {
        var (revoked, unknown) = await RevokeAsync(r.GroupId, null, egress: true, r.SecurityGroupRuleIds,
            new(r.IpPermissions, r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort, r.SourceSecurityGroupName, r.SourceSecurityGroupOwnerId), ct).ConfigureAwait(false);
        return new RevokeSecurityGroupEgressResult { Return = true, RevokedSecurityGroupRules = revoked, UnknownIpPermissions = unknown };
    }

    /// <summary>Adds the rules asked for; tags for them (TagSpecifications of type security-group-rule) are refused: rules take no tags here.</summary>
    private async Task<IReadOnlyList<SecurityGroupRule>> AuthorizeAsync(string? groupId, string? groupName, bool egress,
        IReadOnlyList<TagSpecification>? tagSpecifications, SecurityGroupRules.Request request, CancellationToken ct)
    {
        if (Ec2Tags.FromSpecifications(tagSpecifications, "security-group-rule").Count > 0)
        {
            throw NetworkErrors.NotSupported("TagSpecifications", "its security group rules take no tags.");
        }
        var group = await GroupAsync(groupId, groupName, ct).ConfigureAwait(false);
        var added = await SecurityGroupRules.ParseAsync(request, group, egress, directory, ct).ConfigureAwait(false);
        var stored = await changes.UpdateGroupAsync(group.Id, current =>
        {
            var rules = current.Rules.ToList();
            foreach (var rule in added)
            {
                rules.Add(rules.Exists(r => SecurityGroupRules.Same(r, rule)) ? throw SecurityGroupRules.Duplicate(rule) : rule);
            }
            return current with { Rules = rules };
        }, ct).ConfigureAwait(false);
        return [.. added.Select(rule => _shapes.Rule(stored, rule))];
    }

    private async Task<(IReadOnlyList<RevokedSecurityGroupRule> Revoked, IReadOnlyList<IpPermission>? Unknown)> RevokeAsync(string? groupId, string? groupName,
        bool egress, IReadOnlyList<string>? ruleIds, SecurityGroupRules.Request request, CancellationToken ct)
    {
        if (ruleIds is { Count: > 0 } && (request.IpPermissions is { Count: > 0 } ? "IpPermissions" : request.FlatMembers().FirstOrDefault()) is { } other)
        {
            throw NetworkErrors.Combination($"The parameter SecurityGroupRuleIds cannot be used with the parameter {other}");
        }
        var group = await GroupAsync(groupId, groupName, ct).ConfigureAwait(false);
        var asked = ruleIds is { Count: > 0 } ? [] : await SecurityGroupRules.ParseAsync(request, group, egress, directory, ct).ConfigureAwait(false);
        List<SecurityGroupRuleRecord> removed = [];
        List<SecurityGroupRuleRecord> unknown = [];
        await changes.UpdateGroupAsync(group.Id, current =>
        {
            removed = ruleIds is { Count: > 0 }
                ? [.. ruleIds.Select(id => current.Rules.FirstOrDefault(r => r.Id == id && r.IsEgress == egress)
                    ?? throw new Domain.Errors.AwsException("InvalidSecurityGroupRuleId.NotFound", $"The security group rule ID '{id}' does not exist"))]
                : [.. current.Rules.Where(r => asked.Any(a => SecurityGroupRules.Same(a, r)))];
            unknown = [.. asked.Where(a => !current.Rules.Any(r => SecurityGroupRules.Same(a, r)))];
            return removed.Count == 0 ? throw SecurityGroupRules.NotFound() : current with { Rules = [.. current.Rules.Except(removed)] };
        }, ct).ConfigureAwait(false);
        return ([.. removed.Select(r => NetworkShapes.Revoked(group, r))], unknown.Count == 0 ? null : _shapes.Permissions(unknown));
    }

    /// <summary>The group an id names, or a name names in the default VPC; given both, the id's group must have the name.</summary>
    private async Task<SecurityGroupRecord> GroupAsync(string? groupId, string? groupName, CancellationToken ct) => (groupId, groupName) switch
    {
        ({ } id, var name) => await directory.FindSecurityGroupAsync(id, ct).ConfigureAwait(false) switch
        {
            null => throw NetworkErrors.GroupNotFound(id),
            var found when name is null || name == found.Name => found,
            var found => throw NetworkErrors.Combination($"The security group '{id}' is named '{found.Name}', not '{name}'."),
        },
        (null, { } name) => await directory.FindGroupByNameAsync(directory.DefaultVpcId, name, ct).ConfigureAwait(false)
            ?? throw NetworkErrors.GroupNameNotFound(name, directory.DefaultVpcId),
        _ => throw NetworkErrors.Missing("groupId"),
    };

    private static IEnumerable<SecurityGroupRuleRecord> Ingress(SecurityGroupRecord group) => group.Rules.Where(r => !r.IsEgress);
}
