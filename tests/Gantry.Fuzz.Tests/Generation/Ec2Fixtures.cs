using Gantry.Api.Front;
using Gantry.Api.Tests;
using Gantry.Domain.Ec2;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Fuzz.Tests.Generation;

/// <summary>
/// The EC2 resources plausible ec2 inputs name — a VPC (10.9.0.0/16), a subnet of it (10.9.1.0/24) and a security group
/// "fz" in it — (re)created when missing; their ids by the member names that carry them, and values EC2 needs to get
/// past its first checks (a free CIDR inside the VPC, a group description).
/// </summary>
public static class Ec2Fixtures
{
    public const string VpcCidr = "10.9.0.0/16";
    public const string SubnetCidr = "10.9.1.0/24";
    public const string GroupName = "fz";

    public static async Task<IReadOnlyDictionary<string, string>> EnsureAsync(ApiTestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (!host.Services.GetRequiredService<AwsOperationTable>().TryGetQueryService(Ec2Model.SigningName, out var ec2))
        {
            throw new InvalidOperationException("The API host does not serve EC2.");
        }
        Task<string?> Id(string action, string parameters, string element) => QueryFixtures.FirstAsync(host, ec2, action, parameters, element);
        var vpc = await Id("DescribeVpcs", $"Filter.1.Name=cidr&Filter.1.Value.1={Uri.EscapeDataString(VpcCidr)}", "vpcId")
            ?? await Id("CreateVpc", $"CidrBlock={Uri.EscapeDataString(VpcCidr)}", "vpcId")
            ?? throw new InvalidOperationException("The fixture VPC could not be created.");
        var subnet = await Id("DescribeSubnets", $"Filter.1.Name=vpc-id&Filter.1.Value.1={vpc}&Filter.2.Name=cidr-block&Filter.2.Value.1={Uri.EscapeDataString(SubnetCidr)}", "subnetId")
            ?? await Id("CreateSubnet", $"VpcId={vpc}&CidrBlock={Uri.EscapeDataString(SubnetCidr)}", "subnetId")
            ?? throw new InvalidOperationException("The fixture subnet could not be created.");
        var group = await Id("DescribeSecurityGroups", $"Filter.1.Name=vpc-id&Filter.1.Value.1={vpc}&Filter.2.Name=group-name&Filter.2.Value.1={GroupName}", "groupId")
            ?? await Id("CreateSecurityGroup", $"VpcId={vpc}&GroupName={GroupName}&GroupDescription={GroupName}", "groupId")
            ?? throw new InvalidOperationException("The fixture security group could not be created.");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["VpcId"] = vpc,
            ["VpcIds"] = vpc,
            ["SubnetId"] = subnet,
            ["SubnetIds"] = subnet,
            ["GroupId"] = group,
            ["GroupIds"] = group,
            ["Resources"] = group,
            ["GroupName"] = GroupName,
            ["GroupNames"] = GroupName,
            ["Description"] = GroupName,
            ["CidrBlock"] = "10.9.2.0/24",
            ["CidrIp"] = "10.0.0.0/8",
            ["IpProtocol"] = "tcp",
        };
    }
}
