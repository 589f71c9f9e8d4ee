using System.Net;
using System.Net.Sockets;
using Gantry.Domain.Errors;
using Gantry.Domain.ServiceDiscovery;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// The attributes an instance registers with and Cloud Map's rules for them: the <c>AWS_INSTANCE_*</c> values its
/// service's DNS records need, <c>AWS_INIT_HEALTH_STATUS</c>, and the limits on custom attributes (30; key ≤ 255,
/// value ≤ 1024, all keys and values ≤ 5000 characters). Alias records and EC2 instance lookups are refused: Gantry has
/// neither Route 53 aliases nor EC2.
/// </summary>
public static class InstanceAttributes
{
    public const string Ipv4 = "AWS_INSTANCE_IPV4";
    public const string Ipv6 = "AWS_INSTANCE_IPV6";
    public const string Port = "AWS_INSTANCE_PORT";
    public const string Cname = "AWS_INSTANCE_CNAME";
    public const string InitHealthStatus = "AWS_INIT_HEALTH_STATUS";
    public const string AliasDnsName = "AWS_ALIAS_DNS_NAME";
    public const string Ec2InstanceId = "AWS_EC2_INSTANCE_ID";

    public const int MaxCustomAttributes = 30;
    public const int MaxKeyLength = 255;
    public const int MaxValueLength = 1024;
    public const int MaxTotalLength = 5000;

    private static readonly HashSet<string> Reserved = [Ipv4, Ipv6, Port, Cname, InitHealthStatus, AliasDnsName, Ec2InstanceId];

    /// <summary>Refuses, with InvalidInput naming the attribute, what <paramref name="service"/> cannot register.</summary>
    public static void Validate(DiscoveryServiceRecord service, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (key, value) in attributes)
        {
            if (key.Length is 0 or > MaxKeyLength)
            {
                throw DiscoveryErrors.InvalidInput($"Attributes: an attribute key must be 1 to {MaxKeyLength} characters long, got '{key}'.");
            }
            if (value.Length > MaxValueLength)
            {
                throw DiscoveryErrors.InvalidInput($"Attributes.{key}: a value must be at most {MaxValueLength} characters long.");
            }
        }
        if (attributes.Keys.Count(k => !Reserved.Contains(k)) > MaxCustomAttributes)
        {
            throw DiscoveryErrors.InvalidInput($"Attributes: an instance can have at most {MaxCustomAttributes} custom attributes.");
        }
        if (attributes.Sum(a => a.Key.Length + a.Value.Length) > MaxTotalLength)
        {
            throw DiscoveryErrors.InvalidInput($"Attributes: all keys and values together must be at most {MaxTotalLength} characters long.");
        }
        foreach (var refused in new[] { AliasDnsName, Ec2InstanceId })
        {
            if (attributes.ContainsKey(refused))
            {
                throw DiscoveryErrors.NotSupported($"Attributes.{refused} is");
            }
        }
        if (attributes.TryGetValue(InitHealthStatus, out var health) && health is not (CustomHealthStatusValues.HEALTHY or CustomHealthStatusValues.UNHEALTHY))
        {
            throw DiscoveryErrors.InvalidInput($"Attributes.{InitHealthStatus} must be HEALTHY or UNHEALTHY, got '{health}'.");
        }
        CheckAddress(attributes, Ipv4, AddressFamily.InterNetwork);
        CheckAddress(attributes, Ipv6, AddressFamily.InterNetworkV6);
        if (attributes.TryGetValue(Port, out var port) && !(int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number is >= 1 and <= 65535))
        {
            throw DiscoveryErrors.InvalidInput($"Attributes.{Port} must be a port number from 1 to 65535, got '{port}'.");
        }
        var records = service.Service.DnsConfig?.DnsRecords ?? [];
        foreach (var type in records.Select(r => r.Type).Distinct())
        {
            string[] required = type switch
            {
                RecordTypeValues.A => [Ipv4],
                RecordTypeValues.AAAA => [Ipv6],
                RecordTypeValues.CNAME => [Cname],
                RecordTypeValues.SRV => [Port],
                _ => [],
            };
            foreach (var key in required.Where(k => !attributes.ContainsKey(k)))
            {
                throw DiscoveryErrors.InvalidInput($"Attributes.{key} is required: service {service.Id} has a{(type == RecordTypeValues.A ? "n" : "")} {type} record.");
            }
            if (type == RecordTypeValues.SRV && !attributes.ContainsKey(Ipv4) && !attributes.ContainsKey(Ipv6))
            {
                throw DiscoveryErrors.InvalidInput($"Attributes.{Ipv4} or Attributes.{Ipv6} is required: service {service.Id} has an SRV record.");
            }
        }
    }

    /// <summary>The health an instance registers with: its AWS_INIT_HEALTH_STATUS (default HEALTHY) under a custom health check, else UNKNOWN.</summary>
    public static string InitialHealth(DiscoveryServiceRecord service, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(attributes);
        return !service.HasCustomHealth ? HealthStatusValues.UNKNOWN
            : attributes.TryGetValue(InitHealthStatus, out var health) ? health : HealthStatusValues.HEALTHY;
    }

    private static void CheckAddress(IReadOnlyDictionary<string, string> attributes, string key, AddressFamily family)
    {
        if (attributes.TryGetValue(key, out var value) && !(IPAddress.TryParse(value, out var address) && address.AddressFamily == family
            && (family == AddressFamily.InterNetworkV6 || value.Count(c => c == '.') == 3)))
        {
            throw DiscoveryErrors.InvalidInput($"Attributes.{key} must be an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address, got '{value}'.");
        }
    }
}
