using System.Net;
using System.Net.Sockets;

namespace Gantry.Iam.Policies.Conditions;

/// <summary>An IPv4 or IPv6 address as a 128-bit number (IPv4 in the low 32 bits) and its family.</summary>
internal readonly record struct IpAddressValue(UInt128 Bits, bool IsV6)
{
    public static IpAddressValue? Parse(string text) => TryParse(text, out IpAddressValue value) ? value : null;

    public static bool TryParse(ReadOnlySpan<char> text, out IpAddressValue value)
    {
        value = default;
        if (!IPAddress.TryParse(text, out IPAddress? address))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        UInt128 bits = 0;
        for (int i = 0; i < written; i++)
        {
            bits = (bits << 8) | bytes[i];
        }

        value = new IpAddressValue(bits, address.AddressFamily == AddressFamily.InterNetworkV6);
        return true;
    }
}

/// <summary>A CIDR block of an IpAddress/NotIpAddress condition ("203.0.113.0/24", "2001:db8::/32"; a bare
/// address is its own /32 or /128).</summary>
internal readonly record struct IpRange(IpAddressValue Network, int PrefixLength)
{
    public static bool TryParse(string text, out IpRange range)
    {
        range = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        ReadOnlySpan<char> address = slash < 0 ? text : text.AsSpan(0, slash);
        if (!IpAddressValue.TryParse(address, out IpAddressValue network))
        {
            return false;
        }

        int width = network.IsV6 ? 128 : 32;
        int prefix = width;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), out prefix) || prefix < 0 || prefix > width))
        {
            return false;
        }

        range = new IpRange(network, prefix);
        return true;
    }

    public bool Contains(IpAddressValue address)
    {
        if (address.IsV6 != Network.IsV6)
        {
            return false;
        }

        int shift = (Network.IsV6 ? 128 : 32) - PrefixLength;
        return shift >= 128 || (address.Bits >> shift) == (Network.Bits >> shift);
    }
}
