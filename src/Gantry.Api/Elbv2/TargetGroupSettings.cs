using System.Globalization;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// A target group's settings as ELB resolves them: what CreateTargetGroup accepts (with its defaults filled in) and
/// what ModifyTargetGroup may change (the health check). Gantry serves HTTP, HTTPS and TCP target groups of
/// <c>instance</c> and <c>ip</c> targets; the rest of ELB's vocabulary is refused by name.
/// </summary>
internal static class TargetGroupSettings
{
    public const int MaxNameLength = 32;
    public const string TrafficPort = "traffic-port";

    private static readonly string[] Served = ["HTTP", "HTTPS", "TCP"];
    private static readonly string[] ServedTargetTypes = ["instance", "ip"];

    /// <summary>The health check fields a request sets (null: keep, or default).</summary>
    public sealed record HealthCheck(string? Protocol, string? Port, bool? Enabled, string? Path, int? IntervalSeconds, int? TimeoutSeconds,
        int? HealthyThresholdCount, int? UnhealthyThresholdCount, Matcher? Matcher);

    /// <summary>The group <paramref name="input"/> describes, with ELB's defaults, or a ValidationError naming the field.</summary>
    public static TargetGroup Create(CreateTargetGroupInput input, string arn)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = ValidName(input.Name);
        var targetType = input.TargetType ?? "instance";
        if (!TargetTypeEnumValues.All.Contains(targetType))
        {
            throw TargetGroupErrors.Enum("targetType", targetType, TargetTypeEnumValues.All);
        }
        if (!ServedTargetTypes.Contains(targetType))
        {
            throw TargetGroupErrors.Validation($"Target type '{targetType}' is not supported by Gantry: target groups take 'instance' or 'ip' targets");
        }
        var protocol = input.Protocol ?? throw TargetGroupErrors.Validation("A protocol must be specified");
        if (!ProtocolEnumValues.All.Contains(protocol))
        {
            throw TargetGroupErrors.Enum("protocol", protocol, ProtocolEnumValues.All);
        }
        if (!Served.Contains(protocol))
        {
            throw TargetGroupErrors.Validation($"Protocol '{protocol}' is not supported by Gantry: target groups use HTTP, HTTPS or TCP");
        }
        var port = input.Port ?? throw TargetGroupErrors.Validation("A port must be specified");
        if (port is < 1 or > 65535)
        {
            throw TargetGroupErrors.Range("port", port, 1, 65535);
        }
        if (string.IsNullOrEmpty(input.VpcId))
        {
            throw TargetGroupErrors.Validation("A VPC ID must be specified");
        }
        var ipAddressType = input.IpAddressType ?? "ipv4";
        if (ipAddressType != "ipv4")
        {
            throw TargetGroupErrors.Validation($"IP address type '{ipAddressType}' is not supported by Gantry: target groups are 'ipv4'");
        }
        var group = new TargetGroup
        {
            TargetGroupArn = arn,
            TargetGroupName = name,
            Protocol = protocol,
            Port = port,
            VpcId = input.VpcId,
            TargetType = targetType,
            ProtocolVersion = ProtocolVersion(protocol, input.ProtocolVersion),
            IpAddressType = ipAddressType,
        };
        return ApplyHealthCheck(group, new HealthCheck(input.HealthCheckProtocol, input.HealthCheckPort, input.HealthCheckEnabled, input.HealthCheckPath,
            input.HealthCheckIntervalSeconds, input.HealthCheckTimeoutSeconds, input.HealthyThresholdCount, input.UnhealthyThresholdCount, input.Matcher));
    }

    /// <summary>Whether <paramref name="protocol"/> is an NLB target group's (TCP), which has its own defaults and attributes.</summary>
    public static bool IsNetwork(string? protocol) => protocol == "TCP";

    /// <summary><paramref name="group"/> with <paramref name="change"/> applied over its health check (defaults where neither sets a field).</summary>
    public static TargetGroup ApplyHealthCheck(TargetGroup group, HealthCheck change)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(change);
        var network = IsNetwork(group.Protocol);
        var allowed = network ? new[] { "TCP", "HTTP", "HTTPS" } : ["HTTP", "HTTPS"];
        var protocol = change.Protocol ?? group.HealthCheckProtocol ?? (network ? "TCP" : "HTTP");
        if (!ProtocolEnumValues.All.Contains(protocol))
        {
            throw TargetGroupErrors.Enum("healthCheckProtocol", protocol, ProtocolEnumValues.All);
        }
        if (!allowed.Contains(protocol))
        {
            throw TargetGroupErrors.Validation($"Health check protocol '{protocol}' is not supported for target groups with the '{group.Protocol}' protocol");
        }
        var protocolChanged = protocol != group.HealthCheckProtocol;
        var port = change.Port ?? group.HealthCheckPort ?? TrafficPort;
        if (port != TrafficPort && (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
        {
            throw TargetGroupErrors.Validation($"Health check port '{port}' must be '{TrafficPort}' or a port between 1 and 65535");
        }
        if (change.Enabled == false)
        {
            throw TargetGroupErrors.Validation($"Health checks cannot be disabled for target groups with target type '{group.TargetType}'");
        }
        var http = protocol != "TCP";
        if (!http && change.Path is not null)
        {
            throw TargetGroupErrors.Validation("A health check path cannot be specified for TCP health checks");
        }
        if (!http && change.Matcher is not null)
        {
            throw TargetGroupErrors.Validation("A health check success code matcher cannot be specified for TCP health checks");
        }
        var path = http ? change.Path ?? (protocolChanged && group.HealthCheckPath is null ? "/" : group.HealthCheckPath ?? "/") : null;
        if (path is not null && (path.Length is < 1 or > 1024 || path[0] != '/'))
        {
            throw path.Length > 1024
                ? TargetGroupErrors.Validation("1 validation error detected: Value at 'healthCheckPath' failed to satisfy constraint: Member must have length less than or equal to 1024")
                : TargetGroupErrors.Validation("Health check path must begin with a '/' character");
        }
        var interval = Bounded("healthCheckIntervalSeconds", change.IntervalSeconds ?? group.HealthCheckIntervalSeconds ?? 30, 5, 300);
        var timeout = Bounded("healthCheckTimeoutSeconds", change.TimeoutSeconds ?? (protocolChanged ? null : group.HealthCheckTimeoutSeconds)
            ?? DefaultTimeout(network, protocol), 2, 120);
        if (timeout >= interval)
        {
            throw TargetGroupErrors.Validation("Health check interval must be greater than the timeout.");
        }
        var healthy = Bounded("healthyThresholdCount", change.HealthyThresholdCount ?? group.HealthyThresholdCount ?? 5, 2, 10);
        var unhealthy = Bounded("unhealthyThresholdCount", change.UnhealthyThresholdCount ?? group.UnhealthyThresholdCount ?? 2, 2, 10);
        var matcher = http ? Matcher(change.Matcher ?? (protocolChanged && group.Matcher is null ? null : group.Matcher), network) : null;
        return group with
        {
            HealthCheckProtocol = protocol,
            HealthCheckPort = port,
            HealthCheckEnabled = true,
            HealthCheckPath = path,
            HealthCheckIntervalSeconds = interval,
            HealthCheckTimeoutSeconds = timeout,
            HealthyThresholdCount = healthy,
            UnhealthyThresholdCount = unhealthy,
            Matcher = matcher,
        };
    }

    private static int DefaultTimeout(bool network, string protocol) => !network ? 5 : protocol == "HTTP" ? 6 : 10;

    private static string ValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw TargetGroupErrors.Validation("A target group name must be specified");
        }
        if (name.Length > MaxNameLength)
        {
            throw TargetGroupErrors.Validation(string.Create(CultureInfo.InvariantCulture, $"Target group name '{name}' cannot be longer than '{MaxNameLength}' characters"));
        }
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw TargetGroupErrors.Validation($"Target group name '{name}' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        if (name[0] == '-' || name[^1] == '-')
        {
            throw TargetGroupErrors.Validation($"Target group name '{name}' cannot begin or end with '-'");
        }
        return name;
    }

    private static string? ProtocolVersion(string protocol, string? version)
    {
        if (IsNetwork(protocol))
        {
            return version is null ? null : throw TargetGroupErrors.Validation("A protocol version can only be specified for HTTP and HTTPS target groups");
        }
        return version switch
        {
            null or "HTTP1" => "HTTP1",
            "HTTP2" => "HTTP2",
            "GRPC" => throw TargetGroupErrors.Validation("Protocol version 'GRPC' is not supported by Gantry: use HTTP1 or HTTP2"),
            _ => throw TargetGroupErrors.Validation($"Protocol version '{version}' is not valid: use HTTP1, HTTP2 or GRPC"),
        };
    }

    private static Matcher Matcher(Matcher? matcher, bool network)
    {
        if (matcher?.GrpcCode is not null)
        {
            throw TargetGroupErrors.Validation("A gRPC success code matcher can only be specified for target groups with protocol version 'GRPC'");
        }
        var (low, high) = network ? (200, 599) : (200, 499);
        var code = matcher?.HttpCode ?? (network ? "200-399" : "200");
        foreach (var part in code.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= low && value <= high)
                || (bounds.Length == 2 && int.Parse(bounds[0], CultureInfo.InvariantCulture) > int.Parse(bounds[1], CultureInfo.InvariantCulture)))
            {
                throw TargetGroupErrors.Validation(string.Create(CultureInfo.InvariantCulture,
                    $"Health check matcher HTTP code '{code}' must be codes or ranges of codes between {low} and {high}, such as '200', '200,202' or '200-299'"));
            }
        }
        return new Matcher { HttpCode = code };
    }

    private static int Bounded(string member, int value, int min, int max) =>
        value < min || value > max ? throw TargetGroupErrors.Range(member, value, min, max) : value;
}
