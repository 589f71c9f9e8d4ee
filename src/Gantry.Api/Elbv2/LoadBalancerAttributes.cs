using System.Globalization;
using Gantry.Domain.Elbv2;

namespace Gantry.Api.Elbv2;

/// <summary>
/// The attributes of application and network load balancers: each key's default and which values it takes. A key of
/// the other type, or one ELB does not know, is ELB's ValidationError; a value out of range names the key.
/// </summary>
public static class LoadBalancerAttributes
{
    public const string DeletionProtection = "deletion_protection.enabled";
    public const string IdleTimeout = "idle_timeout.timeout_seconds";
    public const string Http2 = "routing.http2.enabled";
    public const string CrossZone = "load_balancing.cross_zone.enabled";

    private sealed record Key(string Default, Func<string, bool> Accepts, string Expected);

    private static readonly Key Boolean = new("false", v => v is "true" or "false", "'true' or 'false'");

    private static readonly Dictionary<string, Key> Application = new(StringComparer.Ordinal)
    {
        ["access_logs.s3.enabled"] = Boolean,
        ["access_logs.s3.bucket"] = new("", _ => true, "a bucket name"),
        ["access_logs.s3.prefix"] = new("", _ => true, "a prefix"),
        [DeletionProtection] = Boolean,
        [IdleTimeout] = new("60", v => InRange(v, 1, 4000), "an integer from 1 to 4000"),
        ["client_keep_alive.seconds"] = new("3600", v => InRange(v, 60, 604800), "an integer from 60 to 604800"),
        ["routing.http.desync_mitigation_mode"] = new("defensive", v => v is "monitor" or "defensive" or "strictest", "'monitor', 'defensive' or 'strictest'"),
        ["routing.http.drop_invalid_header_fields.enabled"] = Boolean,
        ["routing.http.preserve_host_header.enabled"] = Boolean,
        ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled"] = Boolean,
        ["routing.http.xff_client_port.enabled"] = Boolean,
        ["routing.http.xff_header_processing.mode"] = new("append", v => v is "append" or "preserve" or "remove", "'append', 'preserve' or 'remove'"),
        [Http2] = Boolean with { Default = "true" },
        ["waf.fail_open.enabled"] = Boolean,
    };

    private static readonly Dictionary<string, Key> Network = new(StringComparer.Ordinal)
    {
        ["access_logs.s3.enabled"] = Boolean,
        ["access_logs.s3.bucket"] = new("", _ => true, "a bucket name"),
        ["access_logs.s3.prefix"] = new("", _ => true, "a prefix"),
        [DeletionProtection] = Boolean,
        [CrossZone] = Boolean,
        ["dns_record.client_routing_policy"] = new("any_availability_zone",
            v => v is "availability_zone_affinity" or "partial_availability_zone_affinity" or "any_availability_zone",
            "'availability_zone_affinity', 'partial_availability_zone_affinity' or 'any_availability_zone'"),
    };

    /// <summary>Every attribute of a new load balancer of <paramref name="type"/>, at its default, in key order.</summary>
    public static IReadOnlyList<LoadBalancerAttribute> Defaults(string type) =>
        [.. KeysOf(type).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new LoadBalancerAttribute { Key = k.Key, Value = k.Value.Default })];

    /// <summary><paramref name="current"/> with <paramref name="changes"/> applied; throws ValidationError for an unknown key or a bad value.</summary>
    public static IReadOnlyList<LoadBalancerAttribute> Apply(string type, IReadOnlyList<LoadBalancerAttribute> current, IReadOnlyList<LoadBalancerAttribute>? changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (changes is null || changes.Count == 0)
        {
            throw ElbErrors.Missing("attributes");
        }
        var keys = KeysOf(type);
        var values = current.ToDictionary(a => a.Key!, a => a.Value ?? "", StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (change.Key is not { } key || !keys.TryGetValue(key, out var rule))
            {
                throw ElbErrors.Validation($"Load balancer attribute key '{change.Key}' is not recognized");
            }
            var value = change.Value ?? "";
            if (!rule.Accepts(value))
            {
                throw ElbErrors.Validation($"Load balancer attribute value '{value}' is not valid for key '{key}': it must be {rule.Expected}");
            }
            values[key] = value;
        }
        return [.. values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new LoadBalancerAttribute { Key = v.Key, Value = v.Value })];
    }

    public static bool IsEnabled(IReadOnlyList<LoadBalancerAttribute> attributes, string key) =>
        attributes.Any(a => a.Key == key && a.Value == "true");

    private static Dictionary<string, Key> KeysOf(string type) => type == "network" ? Network : Application;

    private static bool InRange(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max;
}
