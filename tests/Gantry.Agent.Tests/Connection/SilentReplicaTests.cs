using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gantry.Agent.Connection;
using Gantry.Agent.Protocol;
using Grpc.Core;

namespace Gantry.Agent.Tests.Connection;

/// <summary>Dialing a replica that does not answer (its SYNs go nowhere, as past a partition) fails within a bound.</summary>
public sealed class SilentReplicaTests
{
    [Fact]
    public async Task A_replica_that_never_answers_the_dial_is_given_up_after_the_dial_timeout()
    {
        // A listener whose accept queue is full: Linux drops further SYNs without answering, as a cut network does.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            while (true)
            {
                Assert.True(fillers.Count < 16, "the accept queue never filled");
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                var connecting = filler.ConnectAsync(endpoint);
                if (await Task.WhenAny(connecting, Task.Delay(TimeSpan.FromSeconds(1))) != connecting)
                {
                    break;
                }
            }

            var uri = new Uri($"http://{endpoint}/");
            using var channel = new ControlPlaneServer(uri, uri).OpenChannel();
            var clock = Stopwatch.StartNew();
            var failed = await Assert.ThrowsAsync<RpcException>(() => new AgentControl.AgentControlClient(channel)
                .JoinAsync(new JoinRequest { JoinToken = "gntj_x.y", InstanceId = "i-0aaaaaaaaaaaaaaa1" }).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
            Assert.True(clock.Elapsed < ControlPlaneServer.DialTimeout * 2, $"gave up after {clock.Elapsed}");
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }
}
