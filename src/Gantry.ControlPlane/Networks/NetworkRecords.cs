using System.Text.Json.Serialization;

namespace Gantry.ControlPlane.Networks;

/// <summary>A tag on a VPC, subnet, security group or network interface.</summary>
public sealed record NetworkTag(string Key, string Value);

/// <summary>A VPC as stored.</summary>
/// <param name="DefaultZones">The default VPC only: the zones that have had a default subnet made for them (one deleted
/// by the user is not made again).</param>
public sealed record VpcRecord(string Id, string CidrBlock, bool IsDefault, IReadOnlyList<NetworkTag> Tags, IReadOnlyList<string>? DefaultZones = null);

/// <summary>A subnet as stored: an IPv4 CIDR inside its VPC's, in one availability zone.</summary>
public sealed record SubnetRecord(string Id, string VpcId, string CidrBlock, string AvailabilityZone, bool DefaultForAz, bool MapPublicIpOnLaunch,
    IReadOnlyList<NetworkTag> Tags);

/// <summary>A security group as stored, with its rules (ingress and egress) inside.</summary>
public sealed record SecurityGroupRecord(string Id, string Name, string Description, string VpcId, IReadOnlyList<SecurityGroupRuleRecord> Rules,
    IReadOnlyList<NetworkTag> Tags)
{
    /// <summary>The name every VPC's own group has; it cannot be deleted or made by hand.</summary>
    public const string DefaultName = "default";

    [JsonIgnore]
    public bool IsDefault => Name == DefaultName;
}

/// <summary>
/// One rule of a security group: one protocol, port range and source (an IPv4 CIDR or another group). EC2 splits an
/// IpPermission naming several sources into one rule each; so does Gantry.
/// </summary>
/// <param name="IpProtocol">tcp, udp, icmp, a protocol number, or -1 (all).</param>
/// <param name="FromPort">The first port (ICMP: the type); -1 or null for all.</param>
/// <param name="ToPort">The last port (ICMP: the code); -1 or null for all.</param>
/// <param name="ReferencedGroupId">The source (ingress) or destination (egress) group, when not a CIDR.</param>
public sealed record SecurityGroupRuleRecord(string Id, bool IsEgress, string IpProtocol, int? FromPort, int? ToPort, string? CidrIpv4,
    string? ReferencedGroupId, string? Description);

/// <summary>
/// A network interface: what ECS attaches to an awsvpc task (one per task), with an address of its subnet.
/// </summary>
/// <param name="TaskArn">The task it belongs to (null for one not made by ECS).</param>
/// <param name="Status">available, in-use, attaching, detaching.</param>
/// <param name="Description">As ECS words it: <c>arn:aws:ecs:region:account:attachment/&lt;uuid&gt;</c>.</param>
/// <param name="RequesterId">Who made it on the user's behalf (ECS), when it is requester-managed.</param>
/// <param name="MacAddress">Its MAC address (a task's eth0 has it); null: derived from the id.</param>
public sealed record NetworkInterfaceRecord(string Id, string SubnetId, string VpcId, string PrivateIpAddress, IReadOnlyList<string> SecurityGroupIds,
    string? TaskArn, string Status, string AvailabilityZone, string Description, string InterfaceType = "interface", string? RequesterId = null,
    bool RequesterManaged = true, IReadOnlyList<NetworkTag>? Tags = null, string? MacAddress = null);

/// <summary>An address held in a subnet (kind <see cref="NetworkKinds.Address"/>), by the interface that has it.</summary>
public sealed record AddressClaim(string Address, string NetworkInterfaceId);
