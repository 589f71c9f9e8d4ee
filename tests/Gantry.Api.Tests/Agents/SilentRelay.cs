using System.Net;
using System.Net.Sockets;

namespace Gantry.Api.Tests.Agents;

/// <summary>
/// A TCP relay on loopback in front of an endpoint that can go silent, as a partitioned network does: after
/// <see cref="Cut"/> nothing passes in either direction and nothing is closed (no FIN, no reset).
/// </summary>
public sealed class SilentRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public SilentRelay(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _listener.Start();
        _accepting = AcceptAsync(target, _stop.Token);
    }

    public Uri Endpoint => new($"http://{_listener.LocalEndpoint}/");

    /// <summary>From now on every byte either side sends is dropped; the connections stay open.</summary>
    public void Cut() => _cut = true;

    private async Task AcceptAsync(Uri target, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var inbound = await _listener.AcceptTcpClientAsync(ct);
                var outbound = new TcpClient();
                await outbound.ConnectAsync(target.Host, target.Port, ct);
                lock (_sockets)
                {
                    _sockets.AddRange([inbound, outbound]);
                }
                _ = PumpAsync(inbound.GetStream(), outbound.GetStream(), ct);
                _ = PumpAsync(outbound.GetStream(), inbound.GetStream(), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, ct)) > 0)
            {
                if (!_cut)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }
        _stop.Dispose();
    }
}
