using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gantry.Dns;
using Gantry.Dns.Wire;

namespace Gantry.Bench.Dns;

/// <summary>
/// UDP load: each client is a thread with a connected socket keeping <c>window</c> queries outstanding (blocking
/// send and receive: the cheapest way to push datagrams from .NET), for a fixed time. A response is good when its
/// RCODE is NOERROR and it has answers; a window that gets nothing for 200 ms is refilled (counted as a timeout).
/// </summary>
internal static class LoadGenerator
{
    public static LoadResult Run(IPEndPoint server, string name, int clients, TimeSpan duration, int window)
    {
        var answered = new long[clients];
        var bad = new long[clients];
        var timeouts = new long[clients];
        var answers = new long[clients];
        var stopwatch = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, clients).Select(c => new Thread(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 200 };
            socket.Connect(server);
            var query = DnsMessage.Query((ushort)c, name, DnsRecordType.A, ednsPayload: 1232).Encode();
            var buffer = new byte[4096];
            var outstanding = 0;
            while (stopwatch.Elapsed < duration)
            {
                for (; outstanding < window; outstanding++)
                {
                    socket.Send(query);
                }
                int received;
                try
                {
                    received = socket.Receive(buffer);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                {
                    timeouts[c]++;
                    outstanding = 0;
                    continue;
                }
                outstanding--;
                var count = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6));
                if (received >= 12 && (buffer[3] & 0x0F) == 0 && count > 0)
                {
                    answered[c]++;
                    answers[c] += count;
                }
                else
                {
                    bad[c]++;
                }
            }
        })
        { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var elapsed = stopwatch.Elapsed;
        var total = answered.Sum();
        return new LoadResult(total, bad.Sum(), timeouts.Sum(), elapsed, total == 0 ? 0 : (double)answers.Sum() / total);
    }
}
