using System.Net;
using System.Net.Sockets;

namespace Gantry.Agent.Networking;

/// <summary>
/// A tcp host port mapping: listens on the node's publish address at the host port and relays each connection to the
/// container's address and port (a userland proxy, as Docker's docker-proxy). Lives as long as the task runs.
/// </summary>
public sealed class PortProxy : IPublishedPort
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private PortProxy(TcpListener listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _accepting = AcceptAsync(_stop.Token);
    }

    public int HostPort => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts relaying <paramref name="listen"/> (port 0 = a free port) to <paramref name="target"/>.</summary>
    public static PortProxy Start(IPEndPoint listen, IPEndPoint target)
    {
        var listener = new TcpListener(listen);
        listener.Start();
        return new PortProxy(listener, target);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(client, ct);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target, ct).ConfigureAwait(false);
                var down = client.GetStream();
                var up = upstream.GetStream();
                var toContainer = PumpAsync(down, upstream.Client, up, ct);
                var toClient = PumpAsync(up, client.Client, down, ct);
                await Task.WhenAll(toContainer, toClient).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Either side went away.
            }
        }
    }

    private static async Task PumpAsync(NetworkStream from, Socket toSocket, NetworkStream to, CancellationToken ct)
    {
        await from.CopyToAsync(to, ct).ConfigureAwait(false);
        toSocket.Shutdown(SocketShutdown.Send);
    }
}
