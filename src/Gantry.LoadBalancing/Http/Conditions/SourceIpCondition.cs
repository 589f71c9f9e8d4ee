using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary>
/// <c>source-ip</c>: the connection's remote address (never X-Forwarded-For) is in one of the CIDR blocks. A block that
/// does not parse matches nothing (the API validates them; a bad one must not take the listener down).
/// </summary>
internal sealed class SourceIpCondition(IReadOnlyList<string> cidrs) : IRequestCondition
{
    private readonly IPNetwork[] _networks = Parse(cidrs);

    private static IPNetwork[] Parse(IReadOnlyList<string> cidrs)
    {
        var networks = new List<IPNetwork>(cidrs.Count);
        foreach (var cidr in cidrs)
        {
            if (IPNetwork.TryParse(cidr, out var network))
            {
                networks.Add(network);
            }
        }

        return [.. networks];
    }

    public bool Matches(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        for (var i = 0; i < _networks.Length; i++)
        {
            if (_networks[i].Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
