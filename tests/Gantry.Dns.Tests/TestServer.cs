using System.Net;
using Gantry.Dns.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gantry.Dns.Tests;

/// <summary>Starts a server on 127.0.0.1 with a random port.</summary>
internal static class TestServer
{
    public static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    public static async Task<DnsServer> StartAsync(DnsCatalog? catalog = null, IReadOnlyList<IPEndPoint>? upstreams = null, DnsServerOptions? options = null)
    {
        var server = await DnsServer.StartAsync(Loopback, upstreams ?? [], NullLogger.Instance, options ?? new DnsServerOptions(), CancellationToken.None)
            .WaitAsync(DnsClient.Timeout);
        server.Update(catalog ?? TestCatalog.Create());
        return server;
    }
}
