using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gantry.Agent.Networking;

/// <summary>
/// A udp host port mapping (as docker-proxy's udp side): datagrams to the host port go to the container's address and
/// port from a socket kept per client, and the container's replies on that socket go back to the client from the host
/// port. Lives as long as the task runs; a client's socket lives as long as the mapping.
/// </summary>
public sealed class UdpPortProxy : IPublishedPort
{
    private readonly UdpClient _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, UdpClient> _clients = new();
    private readonly Task _receiving;

    private UdpPortProxy(UdpClient listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _receiving = ReceiveAsync(_stop.Token);
    }

    public int HostPort => ((IPEndPoint)_listener.Client.LocalEndPoint!).Port;

    /// <summary>Starts relaying <paramref name="listen"/> (port 0 = a free port) to <paramref name="target"/>.</summary>
    public static UdpPortProxy Start(IPEndPoint listen, IPEndPoint target) => new(new UdpClient(listen), target);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        try
        {
            await _receiving.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task ReceiveAsync(CancellationToken ct)
    {
        while (await NextAsync(ct).ConfigureAwait(false) is { } datagram)
        {
            var upstream = _clients.GetOrAdd(datagram.RemoteEndPoint, client =>
            {
                var socket = new UdpClient(_target.AddressFamily);
                socket.Connect(_target);
                _ = ReplyAsync(socket, client, ct);
                return socket;
            });
            try
            {
                await upstream.SendAsync(datagram.Buffer, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The container is not listening (yet) or the mapping closes: the datagram is lost, as udp allows.
            }
        }
    }

    /// <summary>The next datagram to the host port, or null once the mapping closes.</summary>
    private async Task<UdpReceiveResult?> NextAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                return await _listener.ReceiveAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier datagram: udp has no connection to lose.
            }
        }
        return null;
    }

    private async Task ReplyAsync(UdpClient upstream, IPEndPoint client, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var reply = await upstream.ReceiveAsync(ct).ConfigureAwait(false);
                await _listener.SendAsync(reply.Buffer, client, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Port unreachable for an earlier datagram: keep the socket for the client's next one.
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
