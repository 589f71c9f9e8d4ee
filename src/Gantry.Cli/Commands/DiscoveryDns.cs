using Gantry.ControlPlane.Discovery;
using Gantry.ControlPlane.Supervision;
using Gantry.Dns;
using Gantry.Domain.Arns;
using Gantry.Domain.Json;
using Gantry.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Cli.Commands;

/// <summary>
/// The control plane's DNS server for Cloud Map (<c>--dns-listen</c>): authoritative for the private DNS namespaces, forwarding
/// the rest to <c>--dns-upstream</c> (or /etc/resolv.conf's nameservers); agents relay their tasks' queries to it. Its
/// catalog follows the store under the loop supervisor. An address already taken is told and the control plane runs without.
/// </summary>
internal static partial class DiscoveryDns
{
    public static async Task<DnsServer?> StartAsync(WebApplication app, IStateStore store, ControlPlaneSettings settings, ILoggerFactory loggers,
        TimeProvider time, CancellationToken ct)
    {
        if (settings.DnsListen is not { } listen)
        {
            return null;
        }
        var logger = loggers.CreateLogger<DnsServer>();
        DnsServer server;
        try
        {
            server = await DnsServer.StartAsync(listen, settings.DnsUpstreams ?? ResolvConf.Nameservers(), logger, ct).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            LogUnavailable(logger, listen, e.Message);
            return null;
        }
        var documents = new Documents(store, AwsJson.Options);
        var registry = new DiscoveryRegistry(documents, new DiscoveryArns(settings.Account), time);
        app.Services.GetRequiredService<LoopSupervisor>().Start("cloud map dns",
            ct => new DiscoveryDnsFeed(registry, documents, server, time, loggers.CreateLogger<DiscoveryDnsFeed>()).RunAsync(ct));
        return server;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cloud Map DNS unavailable: cannot listen on {Endpoint} ({Reason}); use --dns-listen to pick another address")]
    private static partial void LogUnavailable(ILogger logger, System.Net.IPEndPoint endpoint, string reason);
}
