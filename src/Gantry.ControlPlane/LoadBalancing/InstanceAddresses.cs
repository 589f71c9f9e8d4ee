using System.Net;
using Gantry.Domain.Elbv2;
using Gantry.Store;

namespace Gantry.ControlPlane.LoadBalancing;

/// <summary>
/// Where an <c>instance</c> target's traffic goes: the address each node publishes its task ports on, recorded
/// (<see cref="ElbKinds.InstanceAddress"/>, key the node's EC2 instance id) when its agent registers. A node that
/// publishes on every address (0.0.0.0, ECS's default) is reached at the address its agent connects from. That address
/// is kept as well: other nodes route the node's awsvpc tasks' addresses through it (<see cref="Agents.RouteFeed"/>).
/// </summary>
public sealed class InstanceAddresses(Documents documents, TimeProvider time)
{
    /// <summary>Records the address of <paramref name="ec2InstanceId"/> unless it is already the one stored.</summary>
    /// <param name="publishAddress">The node's publish address setting as its agent reports it (empty: not reported, as 0.0.0.0).</param>
    /// <param name="peer">The agent connection's peer as gRPC names it (<c>ipv4:10.0.0.5:41234</c>, <c>ipv6:[::1]:41234</c>).</param>
    public async Task RecordAsync(string ec2InstanceId, string publishAddress, string peer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ec2InstanceId);
        if (Resolve(publishAddress, peer) is not { } address)
        {
            return;
        }
        var peerAddress = Resolve(null, peer);
        var stored = await documents.GetAsync<InstanceAddressRecord>(ElbKinds.InstanceAddress, ec2InstanceId, ct).ConfigureAwait(false);
        if (stored?.Value.Address == address && stored.Value.PeerAddress == peerAddress)
        {
            return;
        }
        try
        {
            await documents.Store.CommitAsync(
                [documents.Put(ElbKinds.InstanceAddress, ec2InstanceId, new InstanceAddressRecord(ec2InstanceId, address, time.GetUtcNow(), peerAddress),
                    stored?.Version ?? WriteOp.MustNotExist)],
                ct).ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            // Another connection of the node recorded it meanwhile: the newest registration rewrites it next time.
        }
    }

    /// <summary>The address a node's published ports are reached at: its publish address, or when that is every address
    /// (or not given), the address of its agent's connection; null when neither is known.</summary>
    public static string? Resolve(string? publishAddress, string? peer)
    {
        if (IPAddress.TryParse(publishAddress, out var published) && !published.Equals(IPAddress.Any) && !published.Equals(IPAddress.IPv6Any))
        {
            return published.ToString();
        }
        if (PeerAddress(peer) is not { } address)
        {
            return null;
        }
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
    }

    private static IPAddress? PeerAddress(string? peer)
    {
        if (string.IsNullOrEmpty(peer))
        {
            return null;
        }
        var colon = peer.IndexOf(':', StringComparison.Ordinal);
        var rest = colon < 0 ? peer : peer[(colon + 1)..];
        // "ipv6:[::1]:41234", "ipv6:%5B::1%5D:41234" or "ipv4:10.0.0.5:41234".
        rest = Uri.UnescapeDataString(rest);
        if (rest.StartsWith('['))
        {
            var end = rest.IndexOf(']', StringComparison.Ordinal);
            return end > 0 && IPAddress.TryParse(rest[1..end], out var v6) ? v6 : null;
        }
        var port = rest.LastIndexOf(':');
        return IPAddress.TryParse(port < 0 ? rest : rest[..port], out var v4) ? v4 : null;
    }
}
