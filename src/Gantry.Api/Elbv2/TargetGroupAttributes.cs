using System.Globalization;
using Gantry.ControlPlane.LoadBalancing;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// The attributes of a target group (REFERENCE-NEXT 4.3): an application load balancer's set for HTTP/HTTPS groups,
/// a network load balancer's for TCP ones, each key with its default and the values it accepts. A group stores its
/// whole set, so DescribeTargetGroupAttributes answers every key.
/// </summary>
internal static class TargetGroupAttributes
{
    public const string SlowStart = "slow_start.duration_seconds";
    public const string Algorithm = "load_balancing.algorithm.type";
    public const string StickinessEnabled = "stickiness.enabled";
    public const string StickinessType = "stickiness.type";
    public const string AppCookieName = "stickiness.app_cookie.cookie_name";

    private sealed record Key(string Name, Func<TargetGroup, string> Default, Func<string, string?> Refusal);

    private static readonly Key[] Application =
    [
        new(TargetRegistry.DeregistrationDelay, _ => "300", Integer(0, 3600)),
        new(SlowStart, _ => "0", value => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && (seconds == 0 || seconds is >= 30 and <= 900)
            ? null : "must be 0 (off) or an integer between 30 and 900"),
        new(StickinessEnabled, _ => "false", Boolean),
        new(StickinessType, _ => "lb_cookie", OneOf("lb_cookie", "app_cookie")),
        new("stickiness.lb_cookie.duration_seconds", _ => "86400", Integer(1, 604800)),
        new(AppCookieName, _ => "", value => value.StartsWith("AWSALB", StringComparison.OrdinalIgnoreCase)
            ? "cannot start with 'AWSALB', which the load balancer's own cookies use" : value.Length > 256 ? "must be at most 256 characters" : null),
        new("stickiness.app_cookie.duration_seconds", _ => "86400", Integer(1, 604800)),
        new(Algorithm, _ => "round_robin", OneOf("round_robin", "least_outstanding_requests")),
        new("load_balancing.cross_zone.enabled", _ => "use_load_balancer_configuration", OneOf("true", "false", "use_load_balancer_configuration")),
    ];

    private static readonly Key[] Network =
    [
        new(TargetRegistry.DeregistrationDelay, _ => "300", Integer(0, 3600)),
        new("deregistration_delay.connection_termination.enabled", _ => "false", Boolean),
        new(StickinessEnabled, _ => "false", Boolean),
        new(StickinessType, _ => "source_ip", OneOf("source_ip")),
        new("proxy_protocol_v2.enabled", _ => "false", Boolean),
        // Gantry's network load balancers relay connections in user space, from their own address: preserving the
        // client's address is refused rather than reported and not done (the client's address can reach targets with
        // proxy_protocol_v2.enabled).
        new("preserve_client_ip.enabled", _ => "false", value => value == "false" ? null
            : "must be 'false': Gantry's network load balancers connect to targets from their own address (proxy_protocol_v2.enabled passes the client's address)"),
        new("load_balancing.cross_zone.enabled", _ => "use_load_balancer_configuration", OneOf("true", "false", "use_load_balancer_configuration")),
    ];

    /// <summary>Every attribute of <paramref name="group"/> at its default.</summary>
    public static IReadOnlyList<TargetGroupAttribute> Defaults(TargetGroup group) =>
        KeysOf(group).Select(k => new TargetGroupAttribute { Key = k.Name, Value = k.Default(group) }).ToList();

    /// <summary><paramref name="current"/> with <paramref name="changes"/> applied, or ELB's error for an unknown key or a bad value.</summary>
    public static IReadOnlyList<TargetGroupAttribute> Apply(TargetGroup group, IReadOnlyList<TargetGroupAttribute> current, IReadOnlyList<TargetGroupAttribute> changes)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        var keys = KeysOf(group);
        var values = keys.ToDictionary(k => k.Name, k => current.FirstOrDefault(a => a.Key == k.Name)?.Value ?? k.Default(group), StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var key = keys.FirstOrDefault(k => k.Name == change.Key)
                ?? throw TargetGroupErrors.Validation($"Target group attribute key '{change.Key}' is not recognized");
            var value = change.Value ?? "";
            if (key.Refusal(value) is { } refusal)
            {
                throw TargetGroupErrors.Validation($"Target group attribute value '{value}' of key '{key.Name}' is not valid: it {refusal}");
            }
            values[key.Name] = value;
        }
        if (values.GetValueOrDefault(SlowStart) is { } slowStart && slowStart != "0" && values.GetValueOrDefault(Algorithm) == "least_outstanding_requests")
        {
            throw TargetGroupErrors.InvalidConfiguration("Slow start mode cannot be enabled when the load balancing algorithm type is 'least_outstanding_requests'");
        }
        if (values[StickinessEnabled] == "true" && values[StickinessType] == "app_cookie" && values.GetValueOrDefault(AppCookieName) is null or "")
        {
            throw TargetGroupErrors.Validation($"Target group attribute '{AppCookieName}' must be specified when '{StickinessType}' is 'app_cookie'");
        }
        return keys.Select(k => new TargetGroupAttribute { Key = k.Name, Value = values[k.Name] }).ToList();
    }

    private static Key[] KeysOf(TargetGroup group) => TargetGroupSettings.IsNetwork(group.Protocol) ? Network : Application;

    private static Func<string, string?> Integer(int min, int max) => value =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? null : string.Create(CultureInfo.InvariantCulture, $"must be an integer between {min} and {max}");

    private static string? Boolean(string value) => value is "true" or "false" ? null : "must be 'true' or 'false'";

    private static Func<string, string?> OneOf(params string[] allowed) => value =>
        allowed.Contains(value) ? null : $"must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}";
}
