using System.Collections.Immutable;
using System.Net;
using Gantry.Domain.Arns;
using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// The account's default network, as EC2 gives every region one: VPC 172.31.0.0/16 (isDefault; another CIDR when
/// configured, for hosts whose own network is that one) with its default group, and a default /20 subnet (defaultForAz,
/// public addresses on launch; four bits longer than a VPC smaller than a /16) for every zone, made when the zone first
/// appears (the lowest free one). The CIDR counts only when the VPC is made. Ids derive from account and region, so every replica computes the same ones: two that make it
/// at once conflict on "must not exist", and the loser reads what the winner made.
/// </summary>
internal sealed class DefaultNetwork(Documents documents, AvailabilityZones zones, AwsAccount account, IPNetwork cidr)
{
    private readonly int _subnetPrefixLength = Math.Clamp(cidr.PrefixLength + 4, 20, 28);

    /// <summary>The zones this replica saw with a default subnet made (or deliberately not), so the usual call is one listing.</summary>
    private ImmutableHashSet<string> _settled = [];

    public string VpcId { get; } = NetworkIds.Derived(NetworkIds.Vpc, $"default-vpc/{account.AccountId}/{account.Region}");

    public async Task<IReadOnlyList<string>> EnsureAsync(CancellationToken ct)
    {
        var current = await zones.ListAsync(ct).ConfigureAwait(false);
        if (current.All(_settled.Contains))
        {
            return current;
        }
        var settled = await NetworkCommits.RunAsync(documents.Store, () => PlanAsync(current, ct), ct).ConfigureAwait(false);
        ImmutableInterlocked.Update(ref _settled, s => s.Union(settled));
        return current;
    }

    private async Task<(IReadOnlyList<WriteOp> Writes, IReadOnlyList<string> Settled)> PlanAsync(IReadOnlyList<string> current, CancellationToken ct)
    {
        var found = await documents.GetAsync<VpcRecord>(NetworkKinds.Vpc, VpcId, ct).ConfigureAwait(false);
        var vpc = found?.Value ?? new VpcRecord(VpcId, cidr.ToString(), IsDefault: true, [], DefaultZones: []);
        var known = vpc.DefaultZones ?? [];
        var missing = current.Where(z => !known.Contains(z, StringComparer.Ordinal)).ToList();
        if (found is not null && missing.Count == 0)
        {
            return ([], known);
        }
        var writes = new List<WriteOp> { documents.Put(NetworkKinds.Vpc, VpcId, vpc with { DefaultZones = [.. known, .. missing] }, found?.Version ?? WriteOp.MustNotExist) };
        if (found is null)
        {
            var group = NetworkChanges.DefaultGroupOf(VpcId, NetworkIds.Derived(NetworkIds.SecurityGroup, "default-group/" + VpcId));
            writes.AddRange(NetworkChanges.PutGroup(documents, group, WriteOp.MustNotExist));
        }
        var taken = (await documents.ListAllAsync<SubnetRecord>(NetworkKinds.Subnet, null, ct).ConfigureAwait(false))
            .Where(s => s.Value.VpcId == VpcId).Select(s => IPNetwork.Parse(s.Value.CidrBlock)).ToList();
        foreach (var zone in missing)
        {
            if (SubnetAddresses.FirstFree(IPNetwork.Parse(vpc.CidrBlock), _subnetPrefixLength, taken) is not { } block)
            {
                break; // the VPC is full (sixteen zones): later zones get no default subnet
            }
            taken.Add(block);
            var subnet = new SubnetRecord(NetworkIds.Derived(NetworkIds.Subnet, $"default-subnet/{VpcId}/{zone}"), VpcId, block.ToString(), zone,
                DefaultForAz: true, MapPublicIpOnLaunch: true, []);
            writes.Add(documents.Put(NetworkKinds.Subnet, subnet.Id, subnet, WriteOp.MustNotExist));
        }
        return (writes, [.. known, .. missing]);
    }
}
