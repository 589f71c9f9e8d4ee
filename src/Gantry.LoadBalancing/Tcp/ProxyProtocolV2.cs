using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Gantry.LoadBalancing.Tcp;

/// <summary>
/// The binary PROXY protocol version 2 header (haproxy's proxy-protocol.txt, section 2.2) a network load balancer sends
/// a target first when <c>proxy_protocol_v2.enabled</c>: the signature, PROXY command, TCP over IPv4 or IPv6, then the
/// client's address and port and the listener's.
/// </summary>
internal static class ProxyProtocolV2
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private const byte VersionProxy = 0x21, TcpOverIPv4 = 0x11, TcpOverIPv6 = 0x21;

    public static byte[] Header(IPEndPoint client, IPEndPoint listener)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(listener);
        var v4 = client.AddressFamily == AddressFamily.InterNetwork && listener.AddressFamily == AddressFamily.InterNetwork;
        var source = v4 ? client.Address : client.Address.MapToIPv6();
        var destination = v4 ? listener.Address : listener.Address.MapToIPv6();
        var addressBytes = v4 ? 4 : 16;
        var length = 2 * addressBytes + 4;
        var header = new byte[Signature.Length + 4 + length];
        Signature.CopyTo(header, 0);
        header[12] = VersionProxy;
        header[13] = v4 ? TcpOverIPv4 : TcpOverIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)length);
        source.TryWriteBytes(header.AsSpan(16, addressBytes), out _);
        destination.TryWriteBytes(header.AsSpan(16 + addressBytes, addressBytes), out _);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16 + 2 * addressBytes), (ushort)client.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18 + 2 * addressBytes), (ushort)listener.Port);
        return header;
    }
}
