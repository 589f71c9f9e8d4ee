using System.Text.Json;
using Gantry.Api.Tests.Elbv2;
using Gantry.ControlPlane.Networks;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Store;

namespace Gantry.Api.Tests.Ec2;

/// <summary>Security groups, their rules and the interfaces that use them, through the real AWS CLI and <see cref="NetworkDirectory"/>.</summary>
public sealed class Ec2SecurityGroupApiTests(SignedApiTestHost host) : IClassFixture<SignedApiTestHost>, IDisposable
{
    private readonly LoadBalancerTestCli _aws = new(host);
    private readonly NetworkDirectory _directory = new(new Documents(host.Store, AwsJson.Options), AwsAccount.Default);

    public void Dispose() => _aws.Dispose();

    [Fact]
    public async Task A_new_group_allows_all_egress_takes_CIDR_and_group_rules_refuses_duplicates_and_revokes()
    {
        var web = await GroupAsync("web");
        var db = await GroupAsync("db");
        var group = await DescribeAsync(web);
        Assert.Equal(0, group.GetProperty("IpPermissions").GetArrayLength());
        var egress = Assert.Single(group.GetProperty("IpPermissionsEgress").EnumerateArray());
        Assert.Equal(("-1", "0.0.0.0/0"), (egress.GetProperty("IpProtocol").GetString(), egress.GetProperty("IpRanges")[0].GetProperty("CidrIp").GetString()));

        var added = (await _aws.OkAsync("ec2", "authorize-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0"))
            .GetProperty("SecurityGroupRules");
        Assert.Matches("^sgr-[0-9a-f]{17}$", Assert.Single(added.EnumerateArray()).GetProperty("SecurityGroupRuleId").GetString());
        await _aws.OkAsync("ec2", "authorize-security-group-ingress", "--group-id", db, "--protocol", "tcp", "--port", "5432", "--source-group", web);
        await _aws.OkAsync("ec2", "authorize-security-group-ingress", "--group-id", web, "--ip-permissions",
            "IpProtocol=udp,FromPort=53,ToPort=53,IpRanges=[{CidrIp=10.0.0.0/8,Description=dns}]");

        Assert.Equal("the specified rule \"peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW\" already exists",
            await _aws.FailsAsync("InvalidPermission.Duplicate", "ec2", "authorize-security-group-ingress", "--group-id", web, "--protocol", "tcp",
                "--port", "80", "--cidr", "0.0.0.0/0"));

        var fromWeb = Assert.Single((await DescribeAsync(db)).GetProperty("IpPermissions").EnumerateArray());
        Assert.Equal(("tcp", 5432, 5432, web), (fromWeb.GetProperty("IpProtocol").GetString(), fromWeb.GetProperty("FromPort").GetInt32(),
            fromWeb.GetProperty("ToPort").GetInt32(), fromWeb.GetProperty("UserIdGroupPairs")[0].GetProperty("GroupId").GetString()));
        var byCidr = (await _aws.OkAsync("ec2", "describe-security-groups", "--filters", "Name=ip-permission.cidr,Values=10.*")).GetProperty("SecurityGroups");
        Assert.Equal(web, Assert.Single(byCidr.EnumerateArray()).GetProperty("GroupId").GetString());
        var rules = (await _aws.OkAsync("ec2", "describe-security-group-rules", "--filters", $"Name=group-id,Values={web}")).GetProperty("SecurityGroupRules");
        Assert.Equal(3, rules.GetArrayLength()); // the egress rule, tcp 80, udp 53

        await _aws.OkAsync("ec2", "revoke-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "80", "--cidr", "0.0.0.0/0");
        Assert.Equal(["udp"], (await DescribeAsync(web)).GetProperty("IpPermissions").EnumerateArray().Select(p => p.GetProperty("IpProtocol").GetString()));
        Assert.Equal("The specified rule does not exist in this security group.",
            await _aws.FailsAsync("InvalidPermission.NotFound", "ec2", "revoke-security-group-ingress", "--group-id", web, "--protocol", "tcp", "--port", "80",
                "--cidr", "0.0.0.0/0"));

        Assert.Equal($"resource {web} has a dependent object", await _aws.FailsAsync("DependencyViolation", "ec2", "delete-security-group", "--group-id", web));
        await _aws.OkAsync("ec2", "revoke-security-group-ingress", "--group-id", db, "--protocol", "tcp", "--port", "5432", "--source-group", web);
        await _aws.OkAsync("ec2", "delete-security-group", "--group-id", web);
        Assert.Equal($"The security group '{web}' does not exist", await _aws.FailsAsync("InvalidGroup.NotFound", "ec2", "describe-security-groups", "--group-ids", web));
    }

    [Fact]
    public async Task Names_are_unique_per_VPC_and_the_default_group_cannot_be_deleted()
    {
        await GroupAsync("unique");
        Assert.Equal($"The security group 'unique' already exists for VPC '{_directory.DefaultVpcId}'",
            await _aws.FailsAsync("InvalidGroup.Duplicate", "ec2", "create-security-group", "--group-name", "unique", "--description", "again"));
        var byName = (await _aws.OkAsync("ec2", "describe-security-groups", "--group-names", "unique")).GetProperty("SecurityGroups");
        Assert.Equal("unique", Assert.Single(byName.EnumerateArray()).GetProperty("GroupName").GetString());

        var defaultGroup = (await _directory.DefaultSecurityGroupAsync(_directory.DefaultVpcId, default)).Id;
        Assert.Equal($"the specified group: \"{defaultGroup}\" name: \"default\" cannot be deleted by a user",
            await _aws.FailsAsync("CannotDelete", "ec2", "delete-security-group", "--group-id", defaultGroup));
        Assert.Equal("The security group 'sg-123' does not exist", await _aws.FailsAsync("InvalidGroup.NotFound", "ec2", "delete-security-group", "--group-id", "sg-123"));
        Assert.Equal("The security group 'sg-123' does not exist",
            await _aws.FailsAsync("InvalidGroup.NotFound", "ec2", "authorize-security-group-ingress", "--group-id", "sg-123", "--protocol", "tcp", "--port", "1",
                "--cidr", "10.0.0.0/8"));
    }

    [Fact]
    public async Task Task_interfaces_are_described_take_distinct_addresses_and_keep_their_groups_and_subnet_in_use()
    {
        var groupId = await GroupAsync("task");
        var subnet = (await _directory.DefaultSubnetsAsync(default))[0];
        var config = new Domain.Ecs.AwsVpcConfiguration { Subnets = ["subnet-00000000000000000", subnet.Id], SecurityGroups = [groupId] };
        const string First = "arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef";
        const string Second = "arn:aws:ecs:us-east-1:000000000000:task/c/fedcba9876543210fedcba9876543210";
        var documents = _directory.Documents;
        var turn = await InterfaceAllocation.ReadAsync(documents, _directory.Account, [config], default);
        var stale = await InterfaceAllocation.ReadAsync(documents, _directory.Account, [config], default);
        var eni = turn.Allocate(First, config, subnet.AvailabilityZone);
        var other = turn.Allocate(Second, config, subnet.AvailabilityZone);
        await documents.Store.CommitAsync([.. turn.Writes()], default);
        Assert.Equal(("eni-0123456789abcdef0", subnet.Id, subnet.CidrBlock), (eni.Id, eni.SubnetId, eni.SubnetCidr));
        Assert.NotEqual(eni.Address, other.Address);
        Assert.Equal(System.Net.IPAddress.Parse(subnet.CidrBlock.Split('/')[0]).GetAddressBytes()[..3], System.Net.IPAddress.Parse(eni.Gateway).GetAddressBytes()[..3]);

        // A launch that read the subnet before these were made conflicts instead of handing out their addresses again.
        stale.Allocate(Second, config, subnet.AvailabilityZone);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => documents.Store.CommitAsync([.. stale.Writes()], default));
        var next = await InterfaceAllocation.ReadAsync(documents, _directory.Account, [config], default);
        Assert.DoesNotContain(next.Allocate("arn:aws:ecs:us-east-1:000000000000:task/c/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", config, subnet.AvailabilityZone).Address,
            (string[])[eni.Address, other.Address]);
        // Outside the subnet's zone the first subnet is taken, and it is gone.
        var gone = Assert.Throws<Domain.Errors.AwsException>(() => next.Allocate(First, config, "elsewhere"));
        Assert.Equal("InvalidParameterException", gone.Type);
        Assert.StartsWith("Error retrieving subnet information for [subnet-00000000000000000]", gone.Message, StringComparison.Ordinal);

        var described = (await _aws.OkAsync("ec2", "describe-network-interfaces", "--filters", $"Name=group-id,Values={groupId}", $"Name=private-ip-address,Values={eni.Address}"))
            .GetProperty("NetworkInterfaces");
        var shown = Assert.Single(described.EnumerateArray());
        Assert.Equal((eni.Id, subnet.Id, subnet.VpcId, eni.Address, "in-use", "interface", true, "0e:01:23:45:67:89"), (shown.GetProperty("NetworkInterfaceId").GetString(),
            shown.GetProperty("SubnetId").GetString(), shown.GetProperty("VpcId").GetString(), shown.GetProperty("PrivateIpAddress").GetString(),
            shown.GetProperty("Status").GetString(), shown.GetProperty("InterfaceType").GetString(), shown.GetProperty("RequesterManaged").GetBoolean(),
            shown.GetProperty("MacAddress").GetString()));
        Assert.Equal("arn:aws:ecs:us-east-1:000000000000:attachment/01234567-89ab-cdef-0123-456789abcdef", shown.GetProperty("Description").GetString());
        Assert.Equal(("task", groupId), (shown.GetProperty("Groups")[0].GetProperty("GroupName").GetString(), shown.GetProperty("Groups")[0].GetProperty("GroupId").GetString()));
        Assert.True(System.Net.IPNetwork.Parse(subnet.CidrBlock).Contains(System.Net.IPAddress.Parse(eni.Address)));

        Assert.Equal($"resource {groupId} has a dependent object", await _aws.FailsAsync("DependencyViolation", "ec2", "delete-security-group", "--group-id", groupId));
        Assert.Equal($"The subnet '{subnet.Id}' has dependencies and cannot be deleted.",
            await _aws.FailsAsync("DependencyViolation", "ec2", "delete-subnet", "--subnet-id", subnet.Id));
        await documents.Store.CommitAsync([.. InterfaceAllocation.Release(eni), .. InterfaceAllocation.Release(other)], default);
        await _aws.OkAsync("ec2", "delete-security-group", "--group-id", groupId);
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-network-interfaces")).GetProperty("NetworkInterfaces").GetArrayLength());
        var again = await InterfaceAllocation.ReadAsync(documents, _directory.Account, [config with { SecurityGroups = [] }], default);
        Assert.Equal(eni.Address, again.Allocate(First, config with { SecurityGroups = [] }, subnet.AvailabilityZone).Address); // released addresses are free again
    }

    [Fact]
    public async Task Describe_pages_by_MaxResults_and_DryRun_answers_DryRunOperation_without_creating()
    {
        var vpc = (await _aws.OkAsync("ec2", "create-vpc", "--cidr-block", "10.77.0.0/16")).GetProperty("Vpc").GetProperty("VpcId").GetString()!;
        for (var i = 0; i < 6; i++)
        {
            await _aws.OkAsync("ec2", "create-security-group", "--group-name", $"paged-{i}", "--description", "paging", "--vpc-id", vpc);
        }
        string[] inVpc = ["ec2", "describe-security-groups", "--filters", $"Name=vpc-id,Values={vpc}"];

        // The CLI follows NextToken page by page (MaxResults 5): all 7 (the VPC's default group too), each once.
        var all = (await _aws.OkAsync([.. inVpc, "--page-size", "5"])).GetProperty("SecurityGroups").EnumerateArray().Select(g => g.GetProperty("GroupId").GetString()).ToList();
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(7, all.Count);
        var first = await _aws.OkAsync([.. inVpc, "--max-items", "5", "--page-size", "5"]);
        Assert.Equal(5, first.GetProperty("SecurityGroups").GetArrayLength());
        Assert.True(first.TryGetProperty("NextToken", out _));

        Assert.Equal("Request would have succeeded, but DryRun flag is set.",
            await _aws.FailsAsync("DryRunOperation", "ec2", "create-security-group", "--group-name", "dry", "--description", "dry", "--vpc-id", vpc, "--dry-run"));
        Assert.Equal(7, (await _aws.OkAsync(inVpc)).GetProperty("SecurityGroups").GetArrayLength());
    }

    [Fact]
    public async Task Group_names_and_descriptions_outside_EC2s_character_set_are_refused()
    {
        var allowed = await GroupAsync("a-Z 0.9_:/()#,@[]+=&;{}!$*");
        Assert.StartsWith("sg-", allowed, StringComparison.Ordinal);
        Assert.Equal("Value (caf\u00e9) for parameter GroupName is invalid. Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-security-group", "--group-name", "caf\u00e9", "--description", "x"));
        Assert.Equal("Value (50%) for parameter GroupDescription is invalid. Valid characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*",
            await _aws.FailsAsync("InvalidParameterValue", "ec2", "create-security-group", "--group-name", "pct", "--description", "50%"));
        Assert.Equal(0, (await _aws.OkAsync("ec2", "describe-security-groups", "--filters", "Name=group-name,Values=pct")).GetProperty("SecurityGroups").GetArrayLength());
    }

    [Fact]
    public async Task Rule_members_Gantry_does_not_do_are_refused_and_add_no_rule()
    {
        var group = await GroupAsync("audited");
        var peer = await GroupAsync("audited-peer");
        string[] ingress = ["ec2", "authorize-security-group-ingress", "--group-id", group];
        Assert.Equal("IpPermissions.N.Ipv6Ranges is not supported by Gantry: its networks are IPv4 only.",
            await _aws.FailsAsync("InvalidParameter", [.. ingress, "--ip-permissions", "IpProtocol=tcp,FromPort=80,ToPort=80,Ipv6Ranges=[{CidrIpv6=::/0}]"]));
        Assert.StartsWith("IpPermissions.N.PrefixListIds is not supported by Gantry: it has no managed prefix lists",
            await _aws.FailsAsync("InvalidParameter", [.. ingress, "--ip-permissions", "IpProtocol=tcp,FromPort=80,ToPort=80,PrefixListIds=[{PrefixListId=pl-1}]"]),
            StringComparison.Ordinal);
        Assert.Equal("IpPermissions.N.Groups.N.VpcPeeringConnectionId is not supported by Gantry: it has no VPC peering.",
            await _aws.FailsAsync("InvalidParameter", [.. ingress, "--ip-permissions",
                $"IpProtocol=tcp,FromPort=80,ToPort=80,UserIdGroupPairs=[{{GroupId={peer},VpcPeeringConnectionId=pcx-1}}]"]));
        Assert.Equal("IpPermissions.N.Groups.N.UserId '999999999999' is not supported by Gantry: only this account's (000000000000) security groups can be referenced.",
            await _aws.FailsAsync("InvalidParameter", [.. ingress, "--ip-permissions",
                $"IpProtocol=tcp,FromPort=80,ToPort=80,UserIdGroupPairs=[{{GroupId={peer},UserId=999999999999}}]"]));
        Assert.Equal($"Value (vpc-0000000000000dead) for parameter vpcId is invalid. The security group '{peer}' is in VPC '{_directory.DefaultVpcId}'.",
            await _aws.FailsAsync("InvalidParameterValue", [.. ingress, "--ip-permissions",
                $"IpProtocol=tcp,FromPort=80,ToPort=80,UserIdGroupPairs=[{{GroupId={peer},VpcId=vpc-0000000000000dead}}]"]));
        Assert.Equal("TagSpecifications is not supported by Gantry: its security group rules take no tags.",
            await _aws.FailsAsync("InvalidParameter", [.. ingress, "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8",
                "--tag-specifications", "ResourceType=security-group-rule,Tags=[{Key=a,Value=b}]"]));
        Assert.Equal("'security-group' is not a valid taggable resource type for this operation.",
            await _aws.FailsAsync("InvalidParameterValue", [.. ingress, "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8",
                "--tag-specifications", "ResourceType=security-group,Tags=[{Key=a,Value=b}]"]));
        Assert.Equal($"The security group '{group}' is named 'audited', not 'other'.",
            await _aws.FailsAsync("InvalidParameterCombination", [.. ingress, "--group-name", "other", "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8"]));
        Assert.Equal(0, (await DescribeAsync(group)).GetProperty("IpPermissions").GetArrayLength());

        var rule = (await _aws.OkAsync([.. ingress, "--protocol", "tcp", "--port", "80", "--cidr", "10.0.0.0/8"])).GetProperty("SecurityGroupRules")[0]
            .GetProperty("SecurityGroupRuleId").GetString()!;
        Assert.Equal("The parameter SecurityGroupRuleIds cannot be used with the parameter IpPermissions",
            await _aws.FailsAsync("InvalidParameterCombination", "ec2", "revoke-security-group-ingress", "--group-id", group, "--security-group-rule-ids", rule,
                "--ip-permissions", "IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=10.0.0.0/8}]"));
        Assert.Equal(1, (await DescribeAsync(group)).GetProperty("IpPermissions").GetArrayLength());
    }

    private async Task<string> GroupAsync(string name) =>
        (await _aws.OkAsync("ec2", "create-security-group", "--group-name", name, "--description", name + " tier")).GetProperty("GroupId").GetString()!;

    private async Task<JsonElement> DescribeAsync(string groupId) =>
        (await _aws.OkAsync("ec2", "describe-security-groups", "--group-ids", groupId)).GetProperty("SecurityGroups")[0];
}
