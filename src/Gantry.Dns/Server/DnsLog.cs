using System.Net;
using Microsoft.Extensions.Logging;

namespace Gantry.Dns.Server;

/// <summary>The server's log messages: failures and upstream trouble only, rate-limited, never one per query.</summary>
internal static partial class DnsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "DNS server listening on {Endpoint} (UDP and TCP), forwarding to {Upstreams}")]
    public static partial void Listening(ILogger logger, IPEndPoint endpoint, string upstreams);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS {Transport} listener failed ({Suppressed} more since the last report)")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string transport, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS upstream {Upstream} did not answer within {Timeout} ({Suppressed} more timeouts since the last report)")]
    public static partial void UpstreamTimeout(ILogger logger, IPEndPoint upstream, TimeSpan timeout, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS upstream {Upstream} failed ({Suppressed} more since the last report)")]
    public static partial void UpstreamFailed(ILogger logger, Exception exception, IPEndPoint upstream, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS forwarding at its limit of {Limit} queries in flight: answering SERVFAIL ({Suppressed} more since the last report)")]
    public static partial void ForwardLimit(ILogger logger, int limit, long suppressed);
}
