using System.Security.Cryptography;
using System.Text;

namespace Gantry.ControlPlane.Networks;

/// <summary>EC2's resource ids: a prefix, a dash and 17 lowercase hex digits (<c>vpc-0a1b2c3d4e5f67890</c>).</summary>
public static class NetworkIds
{
    public const string Vpc = "vpc";
    public const string Subnet = "subnet";
    public const string SecurityGroup = "sg";
    public const string SecurityGroupRule = "sgr";
    public const string NetworkInterface = "eni";

    private const int HexDigits = 17;

    /// <summary>A fresh random id.</summary>
    public static string New(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..HexDigits]}";

    /// <summary>The same id for the same <paramref name="seed"/>: what every replica computes for the default network.</summary>
    public static string Derived(string prefix, string seed) =>
        $"{prefix}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..HexDigits]}";
}
