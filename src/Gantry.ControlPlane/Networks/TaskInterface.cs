using System.Net;
using System.Text.Json.Serialization;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// An awsvpc task's network interface as its task record keeps it (the interface itself is stored as a
/// <see cref="NetworkInterfaceRecord"/>): its id, subnet and address, and what the node needs to configure it.
/// </summary>
/// <param name="SubnetCidr">The subnet's IPv4 CIDR: the interface's prefix length and gateway (the subnet's router address).</param>
public sealed record TaskInterface(string Id, string SubnetId, string Address, string SubnetCidr)
{
    [JsonIgnore]
    public int PrefixLength => IPNetwork.Parse(SubnetCidr).PrefixLength;

    /// <summary>The subnet's router: its first address after the network address, as in a VPC.</summary>
    [JsonIgnore]
    public string Gateway => SubnetAddresses.Router(IPNetwork.Parse(SubnetCidr)).ToString();

    /// <summary>Where the address is claimed in its subnet (<see cref="NetworkKinds.Address"/>).</summary>
    [JsonIgnore]
    public string AddressKey => NetworkKinds.AddressKey(SubnetId, Address);
}
