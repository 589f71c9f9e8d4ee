using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace Gantry.Agent.Networking;

/// <summary>
/// An awsvpc task's interface as the control plane allocated it in its subnet: the address with the subnet's prefix
/// length, and the subnet's router as gateway (which the node bridge holds). Kept with the task (so as text, valid IPv4
/// addresses as <see cref="TryCreate"/> checked them).
/// </summary>
public sealed record InterfaceAddress(string Address, int PrefixLength, string Gateway)
{
    /// <summary>The interface's subnet.</summary>
    [JsonIgnore]
    public IPNetwork Subnet
    {
        get
        {
            var bytes = IPAddress.Parse(Address).GetAddressBytes();
            BinaryPrimitives.WriteUInt32BigEndian(bytes, BinaryPrimitives.ReadUInt32BigEndian(bytes) & (uint.MaxValue << (32 - PrefixLength)));
            return new IPNetwork(new IPAddress(bytes), PrefixLength);
        }
    }

    /// <summary>The interface, or null when an address is not IPv4 or the prefix length is out of range.</summary>
    public static InterfaceAddress? TryCreate(string address, int prefixLength, string gateway) =>
        IPAddress.TryParse(address, out var a) && a.AddressFamily == AddressFamily.InterNetwork
        && IPAddress.TryParse(gateway, out var g) && g.AddressFamily == AddressFamily.InterNetwork && prefixLength is > 0 and <= 32
            ? new InterfaceAddress(a.ToString(), prefixLength, g.ToString())
            : null;
}
