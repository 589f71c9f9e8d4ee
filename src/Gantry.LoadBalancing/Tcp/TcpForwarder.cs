using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gantry.LoadBalancing.State;
using Microsoft.Extensions.Logging;

namespace Gantry.LoadBalancing.Tcp;

/// <summary>
/// One NLB TCP listener: accepts on its address and port and forwards each connection to a routable target of its
/// forward group (trying the next one when a connect fails), copying both ways with half-close, with a PROXY protocol
/// v2 header first when the group asks for one. Closing it stops accepting; the connections it forwarded continue
/// until either side ends them, or until their target leaves the group (at the end of its deregistration delay) when
/// the group has <c>deregistration_delay.connection_termination.enabled</c>.
/// </summary>
internal sealed partial class TcpForwarder : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private const int BufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly ITargetHealth _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TcpTargetPicker _picker = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ConcurrentDictionary<TargetKey, ConcurrentDictionary<CancellationTokenSource, byte>> _connections = new();
    private readonly Task _accepting;
    private volatile TargetGroupView? _group;

    public TcpForwarder(IPEndPoint endpoint, ITargetHealth health, TimeProvider time, ILogger logger, CancellationToken connectionsAborted)
    {
        (Endpoint, _health, _time, _logger, ConnectionsAborted) = (endpoint, health, time, logger, connectionsAborted);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(endpoint);
            _socket.Listen(512);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>Cancelled when the whole listener set shuts down: established connections end too.</summary>
    private CancellationToken ConnectionsAborted { get; }

    /// <summary>Where new connections go from now on (null: they are refused). Targets that left the group have their
    /// connections cut when the group terminates connections at the end of the deregistration delay.</summary>
    public void Route(TargetGroupView? group)
    {
        var previous = _group;
        _group = group;
        if (previous is null || group is null || group.Arn != previous.Arn || !Terminates(group))
        {
            return;
        }
        var kept = group.Targets.Select(t => t.Key).ToHashSet();
        foreach (var gone in previous.Targets.Where(t => !kept.Contains(t.Key)))
        {
            foreach (var connection in _connections.GetValueOrDefault(gone.Key)?.Keys ?? Enumerable.Empty<CancellationTokenSource>())
            {
                try
                {
                    connection.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // It ended meanwhile.
                }
            }
        }
    }

    private static bool Terminates(TargetGroupView group) => group.Attribute(TcpConnectionAttributes.ConnectionTermination, "false") == "true";

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(false);
        _closing.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || (e is SocketException && _closing.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(_logger, e, Endpoint);
                continue;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        {
            client.NoDelay = true;
            if (await ConnectAsync(((IPEndPoint)client.RemoteEndPoint!).Address).ConfigureAwait(false) is not var (target, group, key))
            {
                return;
            }
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(ConnectionsAborted);
            var ofTarget = _connections.GetOrAdd(key, _ => new ConcurrentDictionary<CancellationTokenSource, byte>());
            ofTarget[connection] = 0;
            if (_group is { } current && current.Arn == group.Arn && Terminates(current) && !current.Targets.Any(t => t.Key == key))
            {
                await connection.CancelAsync().ConfigureAwait(false); // the target left while this connection was being made
            }
            try
            {
                using (target)
                {
                    var ct = connection.Token;
                    if (group.Attribute(TcpConnectionAttributes.ProxyProtocolV2, "false") == "true")
                    {
                        await target.SendAsync(ProxyProtocolV2.Header((IPEndPoint)client.RemoteEndPoint!, (IPEndPoint)client.LocalEndPoint!), SocketFlags.None, ct)
                            .ConfigureAwait(false);
                    }
                    await Task.WhenAll(CopyAsync(client, target, ct), CopyAsync(target, client, ct)).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // One side reset, the target left the group or the data plane stopped: both sockets close.
            }
            finally
            {
                ofTarget.TryRemove(connection, out _);
            }
        }
    }

    private async Task<(Socket Target, TargetGroupView Group, TargetKey Key)?> ConnectAsync(IPAddress clientAddress)
    {
        if (_group is not { } group)
        {
            return null;
        }
        foreach (var candidate in _picker.Candidates(group, _health, clientAddress))
        {
            var socket = new Socket(candidate.Endpoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = new CancellationTokenSource(ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ConnectionsAborted);
            try
            {
                await socket.ConnectAsync(candidate.Endpoint, linked.Token).ConfigureAwait(false);
                return (socket, group, candidate.Key);
            }
            catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ConnectionsAborted.IsCancellationRequested))
            {
                socket.Dispose();
                _health.ReportFailure(group, candidate);
                LogConnectFailed(_logger, Endpoint, candidate.Key);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        LogNoTarget(_logger, Endpoint, group.Name);
        return null;
    }

    /// <summary>Copies until <paramref name="from"/> ends its side, then ends the same side towards <paramref name="to"/> (half-close).</summary>
    private static async Task CopyAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[BufferBytes];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting on {Endpoint} failed")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listener {Endpoint} could not connect to target {Target}; trying the next")]
    private static partial void LogConnectFailed(ILogger logger, IPEndPoint endpoint, TargetKey target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listener {Endpoint} has no reachable target in {TargetGroup}; connection closed")]
    private static partial void LogNoTarget(ILogger logger, IPEndPoint endpoint, string targetGroup);
}
