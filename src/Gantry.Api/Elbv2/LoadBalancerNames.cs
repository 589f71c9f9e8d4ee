using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gantry.Api.Elbv2;

/// <summary>
/// A load balancer's name rules and the names derived from it: ELB's DNS names (ALB
/// <c>[internal-]&lt;name&gt;-&lt;digits&gt;.&lt;region&gt;.elb.amazonaws.com</c>, NLB <c>&lt;name&gt;-&lt;16 hex&gt;.elb.&lt;region&gt;.amazonaws.com</c>),
/// the fixed hosted zone ids, and the VPC and subnet ids Gantry records for the one network it has.
/// </summary>
public static class LoadBalancerNames
{
    public const int MaxLength = 32;

    /// <summary>Route 53 zone ids of ELB's us-east-1 DNS names (ALB and NLB); Gantry has no Route 53, they are recorded as ELB shows them.</summary>
    public const string ApplicationHostedZoneId = "Z35SXDOTRQ7X7K", NetworkHostedZoneId = "Z26RNL4JYFTOTI";

    /// <summary>Throws ELB's ValidationError when <paramref name="name"/> is not a valid load balancer name.</summary>
    public static string Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ElbErrors.Missing("name");
        }
        if (name.Length > MaxLength)
        {
            throw ElbErrors.Validation($"Load balancer name '{name}' cannot be longer than '{MaxLength}' characters");
        }
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw ElbErrors.Validation($"Load balancer name '{name}' can only contain characters that are alphanumeric characters or hyphens(-)");
        }
        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            throw ElbErrors.Validation($"Load balancer name '{name}' cannot begin or end with a hyphen(-)");
        }
        if (name.StartsWith("internal-", StringComparison.OrdinalIgnoreCase))
        {
            throw ElbErrors.Validation($"Load balancer name '{name}' cannot begin with 'internal-'");
        }
        return name;
    }

    public static string DnsName(string type, string scheme, string name, string id, string region)
    {
        if (type == "network")
        {
            return $"{name}-{id}.elb.{region}.amazonaws.com";
        }
        var digits = (ulong.Parse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture) % 9_000_000_000UL) + 1_000_000_000UL;
        var prefix = scheme == "internal" ? "internal-" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{name}-{digits}.{region}.elb.amazonaws.com");
    }

    public static string HostedZoneId(string type) => type == "network" ? NetworkHostedZoneId : ApplicationHostedZoneId;

    /// <summary>The VPC every load balancer of an account and region is recorded in: a stable id derived from them.</summary>
    public static string VpcId(string accountId, string region) => "vpc-" + StableHex($"vpc:{accountId}:{region}");

    /// <summary>The subnet recorded for a zone when the caller named none.</summary>
    public static string SubnetId(string zone) => "subnet-" + StableHex($"subnet:{zone}");

    private static string StableHex(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..17];
}
