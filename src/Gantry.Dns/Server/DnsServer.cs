using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Gantry.Dns.Authority;
using Gantry.Dns.Server;
using Gantry.Dns.Wire;
using Microsoft.Extensions.Logging;

namespace Gantry.Dns;

/// <summary>
/// A DNS server on UDP and TCP: authoritative for the zones of the current <see cref="DnsCatalog"/>, a forwarder to
/// its upstreams for everything else (REFUSED when it has none). See this folder's README.
/// </summary>
public sealed class DnsServer : IAsyncDisposable
{
    private const int MaxBindAttempts = 20;

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly DnsResponder _responder;
    private readonly Forwarder? _forwarder;
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;
    private readonly LogThrottle _udpLog;
    private readonly LogThrottle _tcpLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _tcpConnections;
    private int _disposed;

    private DnsServer(Socket udp, Socket tcp, IReadOnlyList<IPEndPoint> upstreams, DnsServerOptions options, ILogger logger)
    {
        _udp = udp;
        _tcp = tcp;
        _options = options;
        _logger = logger;
        _udpLog = new LogThrottle(options.Time, TimeSpan.FromSeconds(10));
        _tcpLog = new LogThrottle(options.Time, TimeSpan.FromSeconds(10));
        _responder = new DnsResponder(upstreams.Count > 0);
        _forwarder = upstreams.Count > 0 ? new Forwarder(upstreams, options, logger) : null;
        Endpoint = (IPEndPoint)udp.LocalEndPoint!;
    }

    /// <summary>The bound endpoint, the same port for UDP and TCP.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>
    /// Listens on UDP and TCP at <paramref name="endpoint"/> (port 0 picks a port free for both) and forwards every
    /// query it is not authoritative for to <paramref name="upstreams"/>, in order, failing over after 2 s; SERVFAIL
    /// when all fail; REFUSED for such queries when the list is empty.
    /// </summary>
    public static Task<DnsServer> StartAsync(IPEndPoint endpoint, IReadOnlyList<IPEndPoint> upstreams, ILogger logger, CancellationToken ct) =>
        StartAsync(endpoint, upstreams, logger, new DnsServerOptions(), ct);

    internal static Task<DnsServer> StartAsync(IPEndPoint endpoint, IReadOnlyList<IPEndPoint> upstreams, ILogger logger, DnsServerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(upstreams);
        ArgumentNullException.ThrowIfNull(logger);
        ct.ThrowIfCancellationRequested();
        var (udp, tcp) = Bind(endpoint);
        var server = new DnsServer(udp, tcp, upstreams, options, logger);
        server.Start();
        DnsLog.Listening(logger, server.Endpoint, upstreams.Count == 0 ? "nobody (REFUSED)" : string.Join(", ", upstreams));
        return Task.FromResult(server);
    }

    /// <summary>Swaps in <paramref name="catalog"/> for the next query; throws <see cref="ArgumentException"/> (keeping the current one) when it is invalid.</summary>
    public void Update(DnsCatalog catalog) => _responder.Update(CompiledCatalog.Compile(catalog));

    private static (Socket Udp, Socket Tcp) Bind(IPEndPoint endpoint)
    {
        for (var attempt = 1; ; attempt++)
        {
            var udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var tcp = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                udp.Bind(endpoint);
                tcp.Bind(new IPEndPoint(endpoint.Address, ((IPEndPoint)udp.LocalEndPoint!).Port));
                tcp.Listen(512);
                return (udp, tcp);
            }
            catch (SocketException e) when (endpoint.Port == 0 && attempt < MaxBindAttempts && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                // The port UDP got is taken for TCP: try another.
                udp.Dispose();
                tcp.Dispose();
            }
            catch
            {
                udp.Dispose();
                tcp.Dispose();
                throw;
            }
        }
    }

    private void Start()
    {
        for (var i = 0; i < _options.UdpLoops; i++)
        {
            _loops.Add(Task.Run(() => UdpLoopAsync(_stop.Token)));
        }
        _loops.Add(Task.Run(() => AcceptLoopAsync(_stop.Token)));
    }

    /// <summary>One of several loops on the UDP socket, each with its own buffers; authoritative answers are sent inline.</summary>
    private async Task UdpLoopAsync(CancellationToken cancellationToken)
    {
        var request = GC.AllocateUninitializedArray<byte>(DnsWire.MaxMessage, pinned: true);
        var response = GC.AllocateUninitializedArray<byte>(DnsWire.MaxUdpPayload, pinned: true);
        var client = new SocketAddress(_udp.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await _udp.ReceiveFromAsync(request, SocketFlags.None, client, cancellationToken);
                switch (_responder.Respond(request.AsSpan(0, received), response, tcp: false, out var length))
                {
                    case QueryOutcome.Answer:
                        await _udp.SendToAsync(response.AsMemory(0, length), SocketFlags.None, client, cancellationToken);
                        break;
                    case QueryOutcome.Forward:
                        ForwardUdp(request.AsSpan(0, received), client);
                        break;
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                if (_udpLog.ShouldLog(out var suppressed))
                {
                    DnsLog.ListenerFailed(_logger, e, "UDP", suppressed);
                }
            }
        }
    }

    private void ForwardUdp(ReadOnlySpan<byte> query, SocketAddress client)
    {
        var copy = ArrayPool<byte>.Shared.Rent(query.Length);
        query.CopyTo(copy);
        var replyTo = new SocketAddress(client.Family, client.Size);
        client.Buffer.CopyTo(replyTo.Buffer);
        _ = ForwardUdpAsync(copy, query.Length, replyTo, _stop.Token);
    }

    private async Task ForwardUdpAsync(byte[] query, int length, SocketAddress client, CancellationToken cancellationToken)
    {
        var entered = false;
        try
        {
            entered = _forwarder!.TryEnter();
            var answer = entered ? await Forward(query.AsMemory(0, length), tcp: false, cancellationToken) : null;
            using (answer)
            {
                if (answer is { } forwarded)
                {
                    await _udp.SendToAsync(forwarded.Message, SocketFlags.None, client, cancellationToken);
                    return;
                }
            }
            var failure = ServerFailure(query.AsSpan(0, length), tcp: false);
            await _udp.SendToAsync(failure, SocketFlags.None, client, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            if (_udpLog.ShouldLog(out var suppressed))
            {
                DnsLog.ListenerFailed(_logger, e, "UDP", suppressed);
            }
        }
        finally
        {
            if (entered)
            {
                _forwarder!.Exit();
            }
            ArrayPool<byte>.Shared.Return(query);
        }
    }

    private Task<ForwardedResponse?> Forward(ReadOnlyMemory<byte> query, bool tcp, CancellationToken cancellationToken)
    {
        Span<byte> name = stackalloc byte[DnsName.MaxLength];
        DnsQuery.Parse(query.Span, name, out var q);
        return _forwarder!.ExchangeAsync(query, q.QuestionEnd, q.NameLength, tcp, cancellationToken);
    }

    private byte[] ServerFailure(ReadOnlySpan<byte> query, bool tcp)
    {
        Span<byte> name = stackalloc byte[DnsName.MaxLength];
        DnsQuery.Parse(query, name, out var q);
        var response = new byte[DnsWire.MaxUdpWithoutEdns];
        var length = _responder.WriteError(q, response, DnsRcode.ServFail, name[..q.NameLength], tcp);
        return response[..length];
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _tcp.AcceptAsync(cancellationToken);
                if (Interlocked.Increment(ref _tcpConnections) > _options.MaxTcpConnections)
                {
                    Interlocked.Decrement(ref _tcpConnections);
                    connection.Dispose();
                    continue;
                }
                _ = ServeTcpAsync(connection, cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e)
            {
                if (_tcpLog.ShouldLog(out var suppressed))
                {
                    DnsLog.ListenerFailed(_logger, e, "TCP", suppressed);
                }
            }
        }
    }

    /// <summary>Answers the queries of one connection in turn until it closes or stays idle for <see cref="DnsServerOptions.TcpIdleTimeout"/>.</summary>
    private async Task ServeTcpAsync(Socket connection, CancellationToken cancellationToken)
    {
        var request = ArrayPool<byte>.Shared.Rent(DnsWire.MaxMessage);
        var response = ArrayPool<byte>.Shared.Rent(2 + DnsWire.MaxMessage);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            connection.NoDelay = true;
            while (true)
            {
                idle.CancelAfter(_options.TcpIdleTimeout);
                if (!await TcpFraming.ReadExactlyAsync(connection, request.AsMemory(0, 2), idle.Token))
                {
                    return;
                }
                var length = BinaryPrimitives.ReadUInt16BigEndian(request);
                if (!await TcpFraming.ReadExactlyAsync(connection, request.AsMemory(0, length), idle.Token))
                {
                    return;
                }
                switch (_responder.Respond(request.AsSpan(0, length), response.AsSpan(2), tcp: true, out var written))
                {
                    case QueryOutcome.Answer:
                        BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)written);
                        await connection.SendAsync(response.AsMemory(0, 2 + written), SocketFlags.None, cancellationToken);
                        break;
                    case QueryOutcome.Forward:
                        await ForwardTcpAsync(connection, request.AsMemory(0, length), response, cancellationToken);
                        break;
                    default:
                        return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Idle, closed by the client, or shutting down.
        }
        catch (Exception e)
        {
            if (_tcpLog.ShouldLog(out var suppressed))
            {
                DnsLog.ListenerFailed(_logger, e, "TCP", suppressed);
            }
        }
        finally
        {
            connection.Dispose();
            ArrayPool<byte>.Shared.Return(request);
            ArrayPool<byte>.Shared.Return(response);
            Interlocked.Decrement(ref _tcpConnections);
        }
    }

    private async Task ForwardTcpAsync(Socket connection, ReadOnlyMemory<byte> query, byte[] response, CancellationToken cancellationToken)
    {
        var entered = _forwarder!.TryEnter();
        try
        {
            using var answer = entered ? await Forward(query, tcp: true, cancellationToken) : null;
            var message = answer is { } forwarded ? forwarded.Message : ServerFailure(query.Span, tcp: true);
            BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)message.Length);
            message.CopyTo(response.AsMemory(2));
            await connection.SendAsync(response.AsMemory(0, 2 + message.Length), SocketFlags.None, cancellationToken);
        }
        finally
        {
            if (entered)
            {
                _forwarder.Exit();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        await Task.WhenAll(_loops);
        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }
        _stop.Dispose();
    }
}
