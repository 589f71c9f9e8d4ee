using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gantry.LoadBalancing.Tests.Tcp;

/// <summary>A TCP server on 127.0.0.1 that reads until the client ends its side, then answers "&lt;name&gt;:&lt;what it read&gt;" and closes.</summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public EchoServer(string name)
    {
        Name = name;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                connections.Add(EchoAsync(await _listener.AcceptSocketAsync(_stop.Token)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException
            || (e is InvalidOperationException && _stop.IsCancellationRequested))
        {
            // Stopped; a listener stopped between two accepts says "Not listening".
        }
        await Task.WhenAll(connections);
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var received = await TcpClientCalls.ReadToEndAsync(socket, _stop.Token);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"{Name}:{received}"), SocketFlags.None, _stop.Token);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }
    }
}

internal static class TcpClientCalls
{
    public static async Task<string> ReadToEndAsync(Socket socket, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return text.ToString();
    }

    /// <summary>Connects to <paramref name="endpoint"/>, sends <paramref name="message"/>, ends its side and reads the whole answer.</summary>
    public static async Task<string> ExchangeAsync(IPEndPoint endpoint, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(message), SocketFlags.None, timeout.Token);
        socket.Shutdown(SocketShutdown.Send);
        return await ReadToEndAsync(socket, timeout.Token);
    }
}
