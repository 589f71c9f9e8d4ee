using System.Net.Sockets;

namespace Gantry.Dns.Server;

/// <summary>DNS over TCP: every message behind a two-byte big-endian length (RFC 1035 4.2.2).</summary>
internal static class TcpFraming
{
    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed before the first byte or midway.</summary>
    public static async ValueTask<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }
}
