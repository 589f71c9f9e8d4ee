using System.Net;
using System.Net.Sockets;

namespace Gantry.Api.Elbv2;

/// <summary>
/// The addresses load balancers' listeners bind (the server's <c>--lb-addresses</c>, 127.0.100.0/24 by default): a
/// new load balancer takes the first address of the pool no other stored load balancer uses. In an IPv4 pool of
/// more than two addresses the network and broadcast addresses are skipped.
/// </summary>
public sealed class LoadBalancerAddressPool(IPNetwork pool)
{
    public static readonly IPNetwork Default = IPNetwork.Parse("127.0.100.0/24");

    public IPNetwork Pool => pool;

    /// <summary>The first free address, or ELB's error when every address is taken.</summary>
    public IPAddress Take(IEnumerable<string> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        var taken = used.ToHashSet(StringComparer.Ordinal);
        foreach (var address in Addresses())
        {
            if (!taken.Contains(address.ToString()))
            {
                return address;
            }
        }
        throw ElbErrors.AddressPoolExhausted(pool.ToString());
    }

    private IEnumerable<IPAddress> Addresses()
    {
        var bytes = pool.BaseAddress.GetAddressBytes();
        var hostBits = bytes.Length * 8 - pool.PrefixLength;
        var skipEdges = pool.BaseAddress.AddressFamily == AddressFamily.InterNetwork && hostBits >= 2;
        var count = hostBits >= 31 ? int.MaxValue : 1L << hostBits;
        for (long i = skipEdges ? 1 : 0; i < (skipEdges ? count - 1 : count); i++)
        {
            yield return Offset(bytes, i);
        }
    }

    private static IPAddress Offset(byte[] baseBytes, long offset)
    {
        var bytes = (byte[])baseBytes.Clone();
        for (var index = bytes.Length - 1; index >= 0 && offset > 0; index--)
        {
            var sum = bytes[index] + (offset & 0xFF);
            bytes[index] = (byte)sum;
            offset = (offset >> 8) + (sum >> 8);
        }
        return new IPAddress(bytes);
    }
}
