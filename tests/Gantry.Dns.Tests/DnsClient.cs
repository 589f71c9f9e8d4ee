using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gantry.Dns.Wire;

namespace Gantry.Dns.Tests;

/// <summary>Sends one query over UDP or TCP and decodes the answer; every wait is bounded.</summary>
internal static class DnsClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<DnsMessage> UdpAsync(IPEndPoint server, DnsMessage query) =>
        DnsMessage.Parse(await UdpRawAsync(server, query.Encode()));

    public static async Task<byte[]> UdpRawAsync(IPEndPoint server, byte[] query)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.SendToAsync(query, SocketFlags.None, server, timeout.Token);
        var buffer = new byte[65535];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return buffer[..received];
    }

    /// <summary>Sends datagrams that get no answer, then proves the server still answers on the same socket.</summary>
    public static async Task<int> UdpUnansweredAsync(IPEndPoint server, byte[] query, TimeSpan wait)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[65535];
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await socket.SendToAsync(query, SocketFlags.None, server, cancel.Token);
            return await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }

    public static async Task<IReadOnlyList<DnsMessage>> TcpAsync(IPEndPoint server, params DnsMessage[] queries)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server, timeout.Token);
        var answers = new List<DnsMessage>();
        foreach (var query in queries)
        {
            var bytes = query.Encode();
            var framed = new byte[2 + bytes.Length];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)bytes.Length);
            bytes.CopyTo(framed, 2);
            await socket.SendAsync(framed, SocketFlags.None, timeout.Token);
            var length = new byte[2];
            await ReadExactlyAsync(socket, length, timeout.Token);
            var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await ReadExactlyAsync(socket, message, timeout.Token);
            answers.Add(DnsMessage.Parse(message));
        }
        return answers;
    }

    private static async Task ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            Assert.True(n > 0, "the server closed the connection");
            read += n;
        }
    }
}
