using System.Net;
using Gantry.Domain.Arns;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Domain.Tasks;
using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// The network interfaces of one launch's awsvpc tasks, made in the commit that stores the tasks: each in a subnet of
/// its configuration (the one in the task's availability zone when there is one, else the first) with the lowest
/// address nobody holds there. Every address is claimed by its own document (must not exist), so two launches never
/// share one; each subnet used is re-put at the version read and each group checked at it, so a DeleteSubnet or
/// DeleteSecurityGroup racing the launch conflicts (and a conflict means placing and allocating again).
/// </summary>
public sealed class InterfaceAllocation
{
    private readonly Documents _documents;
    private readonly AwsAccount _account;
    private readonly Dictionary<string, Subnet> _subnets;
    private readonly Dictionary<string, Versioned<SecurityGroupRecord>> _groups;
    private readonly HashSet<string> _usedSubnets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedGroups = new(StringComparer.Ordinal);
    private readonly List<WriteOp> _interfaces = [];

    /// <summary>A subnet as read, the addresses held in it, and where the search for a free one goes on.</summary>
    private sealed class Subnet(Versioned<SubnetRecord> stored, HashSet<IPAddress> taken)
    {
        public Versioned<SubnetRecord> Stored { get; } = stored;
        public HashSet<IPAddress> Taken { get; } = taken;
        public IEnumerator<IPAddress> Next { get; } = SubnetAddresses.Usable(IPNetwork.Parse(stored.Value.CidrBlock)).GetEnumerator();
    }

    private InterfaceAllocation(Documents documents, AwsAccount account, Dictionary<string, Subnet> subnets, Dictionary<string, Versioned<SecurityGroupRecord>> groups)
    {
        _documents = documents;
        _account = account;
        _subnets = subnets;
        _groups = groups;
    }

    /// <summary>Reads the subnets and groups <paramref name="configurations"/> name, and the addresses held in those subnets.</summary>
    public static async Task<InterfaceAllocation> ReadAsync(Documents documents, AwsAccount account, IEnumerable<AwsVpcConfiguration> configurations,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(configurations);
        var subnets = new Dictionary<string, Subnet>(StringComparer.Ordinal);
        var groups = new Dictionary<string, Versioned<SecurityGroupRecord>>(StringComparer.Ordinal);
        foreach (var configuration in configurations)
        {
            foreach (var id in (configuration.Subnets ?? []).Where(id => !subnets.ContainsKey(id)))
            {
                if (await documents.GetAsync<SubnetRecord>(NetworkKinds.Subnet, id, ct).ConfigureAwait(false) is not { } subnet)
                {
                    continue; // deleted since the launch was checked: Allocate says so if the task needs it
                }
                var held = await documents.ListAllAsync<AddressClaim>(NetworkKinds.Address, id + "/", ct).ConfigureAwait(false);
                subnets[id] = new Subnet(subnet, [.. held.Select(h => IPAddress.Parse(h.Value.Address))]);
            }
            foreach (var id in (configuration.SecurityGroups ?? []).Where(id => !groups.ContainsKey(id)))
            {
                if (await documents.GetAsync<SecurityGroupRecord>(NetworkKinds.SecurityGroup, id, ct).ConfigureAwait(false) is { } group)
                {
                    groups[id] = group;
                }
            }
        }
        return new InterfaceAllocation(documents, account, subnets, groups);
    }

    /// <summary>An interface for the task <paramref name="taskArn"/> in availability zone <paramref name="zone"/>.</summary>
    /// <exception cref="AwsException">A subnet or group is gone, or the chosen subnet has no free address (InvalidParameterException).</exception>
    public TaskInterface Allocate(string taskArn, AwsVpcConfiguration configuration, string? zone)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var subnetIds = configuration.Subnets ?? [];
        var subnetId = subnetIds.FirstOrDefault(id => _subnets.TryGetValue(id, out var s) && s.Stored.Value.AvailabilityZone == zone)
            ?? (subnetIds.Count > 0 ? subnetIds[0] : null) ?? throw EcsErrors.InvalidParameter("subnets can not be empty.");
        if (!_subnets.TryGetValue(subnetId, out var subnet))
        {
            throw EcsErrors.InvalidParameter(
                $"Error retrieving subnet information for [{subnetId}]: The subnet ID '{subnetId}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)");
        }
        var groupIds = configuration.SecurityGroups ?? [];
        foreach (var id in groupIds)
        {
            if (!_groups.ContainsKey(id))
            {
                throw EcsErrors.InvalidParameter(
                    $"Error retrieving security group information for [{id}]: The security group '{id}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)");
            }
            _usedGroups.Add(id);
        }
        var address = NextFree(subnet) ?? throw EcsErrors.InvalidParameter(
            $"Error creating the network interface in subnet [{subnetId}]: Insufficient free IP addresses in subnet '{subnetId}'. (Service: AmazonEC2; Status Code: 400; Error Code: InsufficientFreeAddressesInSubnet)");
        _usedSubnets.Add(subnetId);
        var record = subnet.Stored.Value;
        var eni = new TaskInterface(Tasks.TaskAttachments.NetworkInterfaceId(taskArn), subnetId, address.ToString(), record.CidrBlock);
        var stored = new NetworkInterfaceRecord(eni.Id, subnetId, record.VpcId, eni.Address, groupIds, taskArn, "in-use", record.AvailabilityZone,
            $"arn:{_account.Partition}:ecs:{_account.Region}:{_account.AccountId}:attachment/{Tasks.TaskAttachments.AttachmentId(taskArn)}",
            RequesterId: _account.AccountId, MacAddress: TaskMacAddress.Of(EcsArns.TaskId(taskArn)));
        _interfaces.Add(_documents.Put(NetworkKinds.NetworkInterface, eni.Id, stored, WriteOp.MustNotExist));
        _interfaces.Add(_documents.Put(NetworkKinds.Address, eni.AddressKey, new AddressClaim(eni.Address, eni.Id), WriteOp.MustNotExist));
        return eni;
    }

    /// <summary>The writes of every interface allocated: the interfaces, their address claims, the subnets re-put, the groups checked.</summary>
    public IEnumerable<WriteOp> Writes() =>
    [
        .. _interfaces,
        .. _usedSubnets.Select(id => NetworkCommits.Touch(_documents, NetworkKinds.Subnet, id, _subnets[id].Stored)),
        .. _usedGroups.Select(id => new CheckOp(NetworkKinds.SecurityGroup, id, _groups[id].Version)),
    ];

    /// <summary>What releases an interface: it and its address claim (absent: nothing).</summary>
    public static IEnumerable<WriteOp> Release(TaskInterface eni)
    {
        ArgumentNullException.ThrowIfNull(eni);
        yield return new DeleteOp(NetworkKinds.NetworkInterface, eni.Id);
        yield return new DeleteOp(NetworkKinds.Address, eni.AddressKey);
    }

    private static IPAddress? NextFree(Subnet subnet)
    {
        while (subnet.Next.MoveNext())
        {
            if (subnet.Taken.Add(subnet.Next.Current))
            {
                return subnet.Next.Current;
            }
        }
        return null;
    }
}
