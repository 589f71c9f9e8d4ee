using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary><c>source-ip</c>: the connection's remote address (never X-Forwarded-For) is in one of the CIDR blocks.</summary>
internal sealed class SourceIpCondition(IReadOnlyList<string> cidrs) : IRequestCondition
{
    private readonly IPNetwork[] _networks = [.. cidrs.Select(IPNetwork.Parse)];

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
