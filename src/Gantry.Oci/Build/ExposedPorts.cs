using System.Globalization;

namespace Gantry.Oci.Build;

/// <summary>Normalizes exposed-port specs to the <c>port/protocol</c> form image configs use.</summary>
public static class ExposedPorts
{
    /// <summary><c>80</c> → <c>80/tcp</c>; <c>53/udp</c> stays; the protocol is lower-cased.</summary>
    /// <exception cref="ArgumentException">Not a port in 1–65535 with tcp, udp or sctp.</exception>
    public static string Normalize(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var slash = spec.IndexOf('/', StringComparison.Ordinal);
        var port = slash < 0 ? spec : spec[..slash];
        var protocol = slash < 0 ? "tcp" : spec[(slash + 1)..].ToUpperInvariant() switch
        {
            "TCP" => "tcp",
            "UDP" => "udp",
            "SCTP" => "sctp",
            _ => throw new ArgumentException($"exposed port '{spec}' has an unknown protocol (tcp, udp or sctp)", nameof(spec)),
        };
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ArgumentException($"exposed port '{spec}' is not a port number in 1-65535", nameof(spec));
        }
        return string.Create(CultureInfo.InvariantCulture, $"{number}/{protocol}");
    }
}
