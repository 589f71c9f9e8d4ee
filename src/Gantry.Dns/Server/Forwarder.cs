using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Gantry.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Gantry.Dns.Server;

/// <summary>
/// Relays queries this server is not authoritative for to the upstreams in order, failing over after
/// <see cref="DnsServerOptions.UpstreamTimeout"/>. Over UDP each relay gets a fresh random ID and leaves from one of
/// several connected sockets per upstream (only that upstream's datagrams reach it); a reply is taken only when its
/// ID is pending on that socket and it carries the same question. The answer is passed through unchanged except
/// for the client's ID. TCP queries are relayed over a TCP connection of their own.
/// </summary>
internal sealed class Forwarder : IAsyncDisposable
{
    private const int MaxUdpResponse = DnsWire.MaxMessage;

    private readonly Upstream[] _upstreams;
    private readonly Pending?[] _pending = new Pending?[65536];
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;
    private readonly LogThrottle _timeoutLog;
    private readonly LogThrottle _failureLog;
    private readonly LogThrottle _limitLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _inFlight;

    public Forwarder(IReadOnlyList<IPEndPoint> upstreams, DnsServerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _timeoutLog = new LogThrottle(options.Time, TimeSpan.FromSeconds(10));
        _failureLog = new LogThrottle(options.Time, TimeSpan.FromSeconds(10));
        _limitLog = new LogThrottle(options.Time, TimeSpan.FromSeconds(10));
        _upstreams = [.. upstreams.Select(endpoint => new Upstream(endpoint, Enumerable.Range(0, options.SocketsPerUpstream).Select(_ =>
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(endpoint);
            return socket;
        }).ToArray()))];
        foreach (var upstream in _upstreams)
        {
            foreach (var socket in upstream.Sockets)
            {
                _loops.Add(Task.Run(() => ReceiveLoopAsync(socket, _stop.Token)));
            }
        }
    }

    /// <summary>Counts a forward in; false (logged, rate-limited) when <see cref="DnsServerOptions.MaxInFlightForwards"/> are in flight.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= _options.MaxInFlightForwards)
        {
            return true;
        }
        Interlocked.Decrement(ref _inFlight);
        if (_limitLog.ShouldLog(out var suppressed))
        {
            DnsLog.ForwardLimit(_logger, _options.MaxInFlightForwards, suppressed);
        }
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>The first upstream answer to <paramref name="query"/> (a well-formed query of <paramref name="questionEnd"/> bytes and more), or null when every upstream failed.</summary>
    public async Task<ForwardedResponse?> ExchangeAsync(ReadOnlyMemory<byte> query, int questionEnd, int nameLength, bool tcp, CancellationToken cancellationToken)
    {
        var clientId = BinaryPrimitives.ReadUInt16BigEndian(query.Span);
        foreach (var upstream in _upstreams)
        {
            try
            {
                var response = tcp
                    ? await ExchangeTcpAsync(upstream, query, questionEnd, nameLength, cancellationToken)
                    : await ExchangeUdpAsync(upstream, query, questionEnd, nameLength, cancellationToken);
                if (response is { } answer)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(answer.Message.Span, clientId);
                    return answer;
                }
                if (_timeoutLog.ShouldLog(out var suppressed))
                {
                    DnsLog.UpstreamTimeout(_logger, upstream.Endpoint, _options.UpstreamTimeout, suppressed);
                }
            }
            catch (Exception e) when (e is SocketException or IOException && !cancellationToken.IsCancellationRequested)
            {
                if (_failureLog.ShouldLog(out var suppressed))
                {
                    DnsLog.UpstreamFailed(_logger, e, upstream.Endpoint, suppressed);
                }
            }
        }
        return null;
    }

    private async Task<ForwardedResponse?> ExchangeUdpAsync(Upstream upstream, ReadOnlyMemory<byte> query, int questionEnd, int nameLength, CancellationToken cancellationToken)
    {
        var socket = upstream.Sockets[Random.Shared.Next(upstream.Sockets.Length)];
        var pending = new Pending(socket, query[DnsWire.HeaderLength..questionEnd], nameLength);
        int id;
        do
        {
            id = RandomId();
        }
        while (Interlocked.CompareExchange(ref _pending[id], pending, null) is not null);
        var relayed = ArrayPool<byte>.Shared.Rent(query.Length);
        try
        {
            query.CopyTo(relayed);
            BinaryPrimitives.WriteUInt16BigEndian(relayed, (ushort)id);
            await socket.SendAsync(relayed.AsMemory(0, query.Length), SocketFlags.None, cancellationToken);
            return await pending.Answer.Task.WaitAsync(_options.UpstreamTimeout, _options.Time, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or SocketException or OperationCanceledException)
        {
            if (Interlocked.CompareExchange(ref _pending[id], null, pending) == pending)
            {
                if (e is TimeoutException)
                {
                    return null;
                }
                throw;
            }
            // The answer arrived as the wait ended: the receive loop took the slot and completes the task.
            return await pending.Answer.Task;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(relayed);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxUdpResponse, pinned: true);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP unreachable from the upstream: its pending queries time out and fail over.
            }
            if (received < DnsWire.HeaderLength)
            {
                continue;
            }
            var id = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            if (Volatile.Read(ref _pending[id]) is not { } pending || pending.Socket != socket || !pending.Matches(buffer.AsSpan(0, received)))
            {
                continue;
            }
            if (Interlocked.CompareExchange(ref _pending[id], null, pending) == pending)
            {
                var copy = ArrayPool<byte>.Shared.Rent(received);
                buffer.AsSpan(0, received).CopyTo(copy);
                pending.Answer.TrySetResult(new ForwardedResponse(copy, received));
            }
        }
    }

    private async Task<ForwardedResponse?> ExchangeTcpAsync(Upstream upstream, ReadOnlyMemory<byte> query, int questionEnd, int nameLength, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.UpstreamTimeout);
        using var socket = new Socket(upstream.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var buffer = ArrayPool<byte>.Shared.Rent(2 + DnsWire.MaxMessage);
        var handedOver = false;
        try
        {
            await socket.ConnectAsync(upstream.Endpoint, timeout.Token);
            var id = (ushort)RandomId();
            BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)query.Length);
            query.CopyTo(buffer.AsMemory(2));
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), id);
            await socket.SendAsync(buffer.AsMemory(0, 2 + query.Length), SocketFlags.None, timeout.Token);
            var pending = new Pending(socket, query[DnsWire.HeaderLength..questionEnd], nameLength);
            while (true)
            {
                if (!await TcpFraming.ReadExactlyAsync(socket, buffer.AsMemory(0, 2), timeout.Token))
                {
                    return null;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
                if (!await TcpFraming.ReadExactlyAsync(socket, buffer.AsMemory(0, length), timeout.Token))
                {
                    return null;
                }
                if (length >= DnsWire.HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id && pending.Matches(buffer.AsSpan(0, length)))
                {
                    handedOver = true;
                    return new ForwardedResponse(buffer, length);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            if (!handedOver)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static int RandomId()
    {
        Span<byte> id = stackalloc byte[2];
        RandomNumberGenerator.Fill(id);
        return BinaryPrimitives.ReadUInt16BigEndian(id);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var upstream in _upstreams)
        {
            foreach (var socket in upstream.Sockets)
            {
                socket.Dispose();
            }
        }
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private sealed record Upstream(IPEndPoint Endpoint, Socket[] Sockets);

    /// <summary>A relayed query awaiting its answer: the socket it left from and its question section.</summary>
    private sealed class Pending(Socket socket, ReadOnlyMemory<byte> question, int nameLength)
    {
        private readonly byte[] _question = question.ToArray();

        public Socket Socket { get; } = socket;

        public TaskCompletionSource<ForwardedResponse> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>
        /// A response to this query: QR set and the same question (name compared ignoring ASCII case, type and class
        /// exactly), or no question at all with an error RCODE (some servers answer FORMERR that way).
        /// </summary>
        public bool Matches(ReadOnlySpan<byte> response)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(response[DnsWire.FlagsOffset..]);
            if ((flags & DnsWire.FlagQr) == 0)
            {
                return false;
            }
            var questions = BinaryPrimitives.ReadUInt16BigEndian(response[DnsWire.QdCountOffset..]);
            if (questions == 0)
            {
                return (flags & DnsWire.RcodeMask) != 0;
            }
            var echoed = response[DnsWire.HeaderLength..];
            if (questions != 1 || echoed.Length < _question.Length)
            {
                return false;
            }
            for (var i = 0; i < _question.Length; i++)
            {
                var a = echoed[i];
                var b = _question[i];
                if (a != b && (i >= nameLength || (a | 0x20) != (b | 0x20) || (uint)((a | 0x20) - 'a') > 'z' - 'a'))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
