using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// IPv4 CIDR arithmetic for VPCs and subnets. AWS reserves five addresses of every subnet: the network address, the
/// next three (router, DNS, future use) and the last (broadcast); the rest are usable by interfaces.
/// </summary>
public static class SubnetAddresses
{
    /// <summary>Reserved at the start of every subnet.</summary>
    public const int ReservedAtStart = 4;

    /// <summary>An IPv4 CIDR in canonical form (no host bits set); false for anything else.</summary>
    public static bool TryParse(string? cidr, out IPNetwork network)
    {
        network = default;
        return cidr is not null && IPNetwork.TryParse(cidr, out network) && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork
               && network.ToString() == cidr;
    }

    /// <summary>The addresses interfaces may have, in order: from the fifth to the one before the last.</summary>
    public static IEnumerable<IPAddress> Usable(IPNetwork subnet)
    {
        var (first, last) = Range(subnet);
        for (var address = first + ReservedAtStart; address < last; address++)
        {
            yield return ToAddress(address);
        }
    }

    /// <summary>The subnet's router (its network address + 1), the gateway of every interface in it.</summary>
    public static IPAddress Router(IPNetwork subnet) => ToAddress(Range(subnet).First + 1);

    /// <summary>How many addresses interfaces may have (EC2's AvailableIpAddressCount of an empty subnet).</summary>
    public static int UsableCount(IPNetwork subnet) => (int)Math.Max(0, Size(subnet) - ReservedAtStart - 1);

    /// <summary>The first usable address not in <paramref name="taken"/>; null when the subnet is full.</summary>
    public static IPAddress? Allocate(IPNetwork subnet, IReadOnlySet<IPAddress> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        return Usable(subnet).FirstOrDefault(address => !taken.Contains(address));
    }

    /// <summary>Whether every address of <paramref name="inner"/> is in <paramref name="outer"/>.</summary>
    public static bool Contains(IPNetwork outer, IPNetwork inner) => inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);

    public static bool Overlap(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    /// <summary>The first block of <paramref name="prefixLength"/> bits inside <paramref name="outer"/> that overlaps none of <paramref name="taken"/>.</summary>
    public static IPNetwork? FirstFree(IPNetwork outer, int prefixLength, IEnumerable<IPNetwork> taken)
    {
        var used = taken.ToList();
        var (first, last) = Range(outer);
        var step = 1L << (32 - prefixLength);
        for (var start = first; start + step - 1 <= last; start += step)
        {
            var candidate = new IPNetwork(ToAddress(start), prefixLength);
            if (!used.Any(u => Overlap(u, candidate)))
            {
                return candidate;
            }
        }
        return null;
    }

    private static long Size(IPNetwork network) => 1L << (32 - network.PrefixLength);

    private static (long First, long Last) Range(IPNetwork network)
    {
        var first = (long)BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes());
        return (first, first + Size(network) - 1);
    }

    private static IPAddress ToAddress(long value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)value);
        return new IPAddress(bytes);
    }
}
