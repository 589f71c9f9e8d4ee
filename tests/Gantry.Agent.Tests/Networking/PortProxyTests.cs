using System.Net;
using System.Net.Sockets;
using System.Text;
using Gantry.Agent.Networking;
using Gantry.Agent.Tests.Images;

namespace Gantry.Agent.Tests.Networking;

/// <summary>The published-port relays on loopback: a tcp and a udp echo server behind them, and nothing listening once disposed.</summary>
public sealed class PortProxyTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task A_udp_relay_forwards_datagrams_and_their_replies_and_frees_its_port_when_disposed()
    {
        using var echo = new UdpClient(AnyLoopbackPort);
        var echoing = EchoUdpAsync(echo);
        var relay = UdpPortProxy.Start(AnyLoopbackPort, (IPEndPoint)echo.Client.LocalEndPoint!);
        var port = relay.HostPort;
        using (var client = new UdpClient(AnyLoopbackPort))
        {
            await client.SendAsync(Encoding.ASCII.GetBytes("ping"), new IPEndPoint(IPAddress.Loopback, port), TestTimeout.Token());
            var reply = await client.ReceiveAsync(TestTimeout.Token());

            Assert.Equal("echo ping", Encoding.ASCII.GetString(reply.Buffer));
            Assert.Equal(port, reply.RemoteEndPoint.Port);
        }

        await relay.DisposeAsync();

        using var again = new UdpClient(new IPEndPoint(IPAddress.Loopback, port)); // the port is free again
        echo.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => echoing);
    }

    [Fact]
    public async Task A_tcp_relay_listens_on_the_address_it_is_given_and_stops_listening_when_disposed()
    {
        using var server = new TcpListener(AnyLoopbackPort);
        server.Start();
        var serving = ServeOnceAsync(server);
        var relay = PortProxy.Start(AnyLoopbackPort, (IPEndPoint)server.LocalEndpoint);
        var port = relay.HostPort;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port, TestTimeout.Token());
            using var reader = new StreamReader(client.GetStream());

            Assert.Equal("hello", await reader.ReadLineAsync(TestTimeout.Token()));
        }
        await serving;

        await relay.DisposeAsync();

        using var refused = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(IPAddress.Loopback, port, TestTimeout.Token()).AsTask());
    }

    [Fact]
    public void A_port_the_node_already_holds_cannot_be_published_twice()
    {
        using var holder = new TcpListener(AnyLoopbackPort);
        holder.Start();
        var taken = (IPEndPoint)holder.LocalEndpoint;

        Assert.Throws<SocketException>(() => PortProxy.Start(taken, new IPEndPoint(IPAddress.Loopback, 1)));
    }

    private static async Task EchoUdpAsync(UdpClient socket)
    {
        while (true)
        {
            var datagram = await socket.ReceiveAsync(TestTimeout.Token());
            await socket.SendAsync(Encoding.ASCII.GetBytes("echo " + Encoding.ASCII.GetString(datagram.Buffer)), datagram.RemoteEndPoint, TestTimeout.Token());
        }
    }

    private static async Task ServeOnceAsync(TcpListener server)
    {
        using var accepted = await server.AcceptTcpClientAsync(TestTimeout.Token());
        await accepted.GetStream().WriteAsync(Encoding.ASCII.GetBytes("hello\n"), TestTimeout.Token());
    }
}
