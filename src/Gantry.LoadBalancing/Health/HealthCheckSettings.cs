using System.Globalization;
using Gantry.Domain.Elbv2;

namespace Gantry.LoadBalancing.Health;

/// <summary>A target group's health-check settings with ELB's defaults filled in (REFERENCE-NEXT 4.2).</summary>
public sealed record HealthCheckSettings(bool Enabled, string Protocol, string Port, string Path, TimeSpan Interval, TimeSpan Timeout,
    int HealthyThreshold, int UnhealthyThreshold, HttpCodeMatcher Matcher)
{
    public const string TrafficPort = "traffic-port";

    public static HealthCheckSettings Of(TargetGroup group)
    {
        var network = group.Protocol is "TCP" or "UDP" or "TCP_UDP" or "TLS";
        var protocol = group.HealthCheckProtocol ?? (network ? "TCP" : "HTTP");
        var interval = group.HealthCheckIntervalSeconds ?? 30;
        var timeout = group.HealthCheckTimeoutSeconds ?? (protocol == "HTTP" ? 6 : 10);
        return new HealthCheckSettings(
            group.HealthCheckEnabled ?? true,
            protocol,
            group.HealthCheckPort ?? TrafficPort,
            group.HealthCheckPath ?? "/",
            TimeSpan.FromSeconds(interval),
            TimeSpan.FromSeconds(Math.Min(timeout, interval)),
            group.HealthyThresholdCount ?? 5,
            group.UnhealthyThresholdCount ?? 2,
            new HttpCodeMatcher(group.Matcher?.HttpCode ?? (network ? "200-599" : "200")));
    }

    /// <summary>The port checks go to: the target's traffic port or the configured one.</summary>
    public int PortFor(int trafficPort) =>
        Port == TrafficPort || !int.TryParse(Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? trafficPort : port;
}
