using System.Collections;
using Gantry.ControlPlane.Networks;

namespace Gantry.Api.Ec2;

/// <summary>
/// Request members Gantry's EC2 subset does not do (IPv6, IPAM, Outposts, dedicated tenancy, peering, ...): a request that
/// gives one is refused before anything changes, naming the member (<see cref="NetworkErrors.NotSupported"/>). A member left
/// out, false, or an empty list is not given.
/// </summary>
internal static class Ec2Unsupported
{
    /// <summary>Why IPv6 members are refused.</summary>
    public const string Ipv6 = "its networks are IPv4 only.";

    /// <summary>Why IPAM members are refused.</summary>
    public const string Ipam = "it has no IP Address Manager; give CidrBlock.";

    /// <summary>Refuses the first of <paramref name="members"/> that is given, with <paramref name="why"/>.</summary>
    public static void Refuse(string why, params ReadOnlySpan<(string Parameter, object? Value)> members)
    {
        foreach (var (parameter, value) in members)
        {
            if (IsGiven(value))
            {
                throw NetworkErrors.NotSupported(parameter, why);
            }
        }
    }

    private static bool IsGiven(object? value) => value switch
    {
        null or false => false,
        string text => text.Length > 0,
        ICollection list => list.Count > 0,
        _ => true,
    };
}
