namespace Gantry.ControlPlane.Networks;

/// <summary>
/// The store kinds of EC2 networking and their keys. Every resource is keyed by its EC2 id, so a lookup is one point
/// read; a VPC's children are found by scanning their kind (networks are few). Writes that depend on a VPC's, a subnet's
/// or a group's children re-put the parent at the version they read, so concurrent writers conflict and retry.
/// </summary>
public static class NetworkKinds
{
    /// <summary><see cref="VpcRecord"/>, key its id (<c>vpc-…</c>).</summary>
    public const string Vpc = "ec2-vpc";

    /// <summary><see cref="SubnetRecord"/>, key its id (<c>subnet-…</c>).</summary>
    public const string Subnet = "ec2-subnet";

    /// <summary><see cref="SecurityGroupRecord"/> with its rules, key its id (<c>sg-…</c>).</summary>
    public const string SecurityGroup = "ec2-security-group";

    /// <summary>A group name taken in a VPC: key <see cref="GroupNameKey"/>, body the group's id; makes names unique per VPC.</summary>
    public const string SecurityGroupName = "ec2-security-group-name";

    /// <summary><see cref="NetworkInterfaceRecord"/>, key its id (<c>eni-…</c>).</summary>
    public const string NetworkInterface = "ec2-network-interface";

    /// <summary>An address held in a subnet: key <see cref="AddressKey"/>, body an <see cref="AddressClaim"/>; makes addresses unique per subnet.</summary>
    public const string Address = "ec2-address";

    public static string AddressKey(string subnetId, string address) => $"{subnetId}/{address}";

    public static string GroupNameKey(string vpcId, string groupName) => $"{vpcId}/{groupName}";
}
