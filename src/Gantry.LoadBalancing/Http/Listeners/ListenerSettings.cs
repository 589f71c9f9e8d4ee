using System.Globalization;
using System.Net;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Http.Listeners;

/// <summary>
/// What a listener's server is opened with; when any of it changes the server is reopened (routing changes are not
/// settings: they swap in without reopening).
/// </summary>
/// <param name="IdleTimeout">The balancer's <c>idle_timeout.timeout_seconds</c> (default 60): keep-alive and target inactivity limit.</param>
/// <param name="Http2">The balancer's <c>routing.http2.enabled</c> (default true): HTTP/2 by ALPN on HTTPS listeners.</param>
internal sealed record ListenerSettings(IPEndPoint Endpoint, bool Https, ListenerCertificate? Certificate, TimeSpan IdleTimeout, bool Http2)
{
    public static ListenerSettings Of(BalancerView balancer, ListenerView listener) => new(
        new IPEndPoint(balancer.Address, listener.Port),
        listener.Protocol == "HTTPS",
        listener.Protocol == "HTTPS" ? listener.Certificate : null,
        TimeSpan.FromSeconds(int.TryParse(Attribute(balancer, "idle_timeout.timeout_seconds"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var idle) && idle > 0 ? idle : 60),
        !string.Equals(Attribute(balancer, "routing.http2.enabled"), "false", StringComparison.OrdinalIgnoreCase));

    private static string? Attribute(BalancerView balancer, string key)
    {
        foreach (var attribute in balancer.Record.Attributes)
        {
            if (attribute.Key == key)
            {
                return attribute.Value;
            }
        }

        return null;
    }
}
