using System.Net;

namespace Gantry.Dns;

/// <summary>Reads the nameservers of a resolv.conf, the upstreams an agent's forwarder relays to.</summary>
public static class ResolvConf
{
    private const int DnsPort = 53;

    /// <summary>
    /// Every <c>nameserver</c> address in file order (loopback stubs such as systemd-resolved's 127.0.0.53 included),
    /// on port 53; lines that do not parse are skipped; a missing file has none.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> Nameservers(string path = "/etc/resolv.conf")
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var nameservers = new List<IPEndPoint>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out var address))
            {
                nameservers.Add(new IPEndPoint(address, DnsPort));
            }
        }
        return nameservers;
    }
}
