using System.Net;
using Gantry.Agent.Runtime.Conmon;
using Gantry.Agent.Runtime.Spec;
using Gantry.Domain.Tasks;

namespace Gantry.Agent.Networking;

/// <summary>
/// A task's network. <c>host</c> shares the node's namespace. Every other mode gets its own namespace
/// (<c>ip netns add gantry-&lt;task&gt;</c>) that all the task's containers join, so they reach each other on
/// localhost. <c>bridge</c> and <c>awsvpc</c> tasks also get a veth pair onto the node bridge (<c>gantry0</c>), reachable
/// from the node: a bridge task with an address of the bridge's subnet, an awsvpc task with its interface's address in its
/// VPC subnet, routed by the node (<see cref="RouteAsync"/>); <c>none</c> has loopback only. The bridge also carries the task metadata
/// endpoint's link-local address (a /32), so a task reaches it through its default route.
/// Published ports (bridge host ports, awsvpc public IPs) are userland relays listening on <paramref name="publishAddress"/>.
/// </summary>
public sealed class TaskNetwork(AddressPool addresses, IPAddress bridgeAddress, string bridgeName = "gantry0", IPAddress? metadataAddress = null,
    IPAddress? publishAddress = null) : ITaskNetwork
{
    private const string Ip = "/usr/sbin/ip";
    private const string IptablesRestore = "/usr/sbin/iptables-restore";
    private const string IptablesLegacyRestore = "/usr/sbin/iptables-legacy-restore";
    private const string Nsenter = "/usr/bin/nsenter";
    private bool _legacyRestore = File.Exists(IptablesLegacyRestore);
    private const string IpForward = "/proc/sys/net/ipv4/ip_forward";
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _gateways = new(); // on the bridge already
    private bool _bridgeReady;

    public static string NamespaceName(string taskId) => $"gantry-{taskId}"[..Math.Min(32, 7 + taskId.Length)];

    public static string NamespacePath(string taskId) => $"/run/netns/{NamespaceName(taskId)}";

    public static bool HasAddress(string? networkMode) => networkMode is null or "bridge" or "awsvpc";

    public static (NetworkSetup Setup, string? Path) For(string? networkMode, string taskId) =>
        networkMode == "host" ? (NetworkSetup.Host, null) : (NetworkSetup.Join, NamespacePath(taskId));

    /// <summary>
    /// Creates the task's namespace (and its address); returns the address, or null without one. Idempotent. Starting
    /// many tasks at once is dominated by process starts, so a fresh task costs two <c>ip</c> runs: a batch on the
    /// node (add the namespace, a veth pair with its peer inside, onto the bridge) and a batch inside the namespace
    /// (loopback, eth0 up with its address, the default route). A namespace left by a crash is completed instead.
    /// </summary>
    public async Task<IPAddress?> EnsureAsync(string? networkMode, string taskId, InterfaceAddress? eni, CancellationToken ct)
    {
        if (networkMode == "host")
        {
            return null;
        }
        var name = NamespaceName(taskId);
        var fresh = !File.Exists(NamespacePath(taskId));
        if (!HasAddress(networkMode))
        {
            if (fresh)
            {
                await RunAsync(ct, "netns", "add", name).ConfigureAwait(false);
            }
            await RunAsync(ct, "-n", name, "link", "set", "lo", "up").ConfigureAwait(false);
            return null;
        }
        await EnsureBridgeAsync(ct).ConfigureAwait(false);
        if (eni is not null)
        {
            await RouteAsync(eni, ct).ConfigureAwait(false);
        }
        var address = eni is null ? addresses.Acquire(taskId) : IPAddress.Parse(eni.Address);
        var hostSide = $"gvh{taskId[..Math.Min(8, taskId.Length)]}";
        var peer = $"peer name eth0 address {MacAddress(taskId)} netns {name}";
        if (fresh || !(await ProcessRunner.RunAsync(Ip, ["-n", name, "link", "show", "eth0"], ct).ConfigureAwait(false)).Succeeded)
        {
            var node = $"{(fresh ? $"netns add {name}\n" : "")}link add {hostSide} type veth {peer}\nlink set {hostSide} master {bridgeName} up\n";
            if (!(await BatchAsync(null, node, ct).ConfigureAwait(false)).Succeeded)
            {
                // A half-made pair or namespace from a crash: remove the pair and try once more in the namespace that now exists.
                await ProcessRunner.RunAsync(Ip, ["link", "delete", hostSide], ct).ConfigureAwait(false);
                if (!File.Exists(NamespacePath(taskId)))
                {
                    await RunAsync(ct, "netns", "add", name).ConfigureAwait(false);
                }
                await CheckAsync(BatchAsync(null, $"link add {hostSide} type veth {peer}\nlink set {hostSide} master {bridgeName} up\n", ct), "veth")
                    .ConfigureAwait(false);
            }
            // A subnet interface has no on-link subnet route: everything goes via the gateway, so a peer of its subnet
            // on another bridge or node is reached through the node's routes as well as one on this bridge.
            var inside = eni is null
                ? $"link set lo up\naddr add {address}/16 dev eth0\nlink set eth0 up\nroute add default via {bridgeAddress}\n"
                : $"link set lo up\naddr add {address}/{eni.PrefixLength} dev eth0 noprefixroute\nlink set eth0 up\nroute add {eni.Gateway} dev eth0\nroute add default via {eni.Gateway}\n";
            await CheckAsync(BatchAsync(name, inside, ct), "task namespace").ConfigureAwait(false);
        }
        return address;
    }

    /// <summary>The MAC address of a task's eth0 (<see cref="TaskMacAddress"/>).</summary>
    public static string MacAddress(string taskId) => TaskMacAddress.Of(taskId);

    public IPAddress PublishAddress => publishAddress ?? IPAddress.Any;

    /// <summary>A userland relay on <see cref="PublishAddress"/>: <see cref="PortProxy"/> for tcp, <see cref="UdpPortProxy"/> for udp.</summary>
    public IPublishedPort Publish(string protocol, int hostPort, IPEndPoint target) => protocol == "udp"
        ? UdpPortProxy.Start(new IPEndPoint(PublishAddress, hostPort), target)
        : PortProxy.Start(new IPEndPoint(PublishAddress, hostPort), target);

    /// <summary>
    /// One <c>iptables-restore</c> inside the task's namespace (entered with <c>nsenter</c>, lighter than <c>ip netns
    /// exec</c>): the whole filter table at once, so no packet sees half a policy. The legacy (x_tables) backend restores a
    /// table about four times faster than the nftables one, which counts when a rule change reaches hundreds of tasks; the
    /// table lives in the task's own namespace, so the host's choice of backend is untouched. A kernel without x_tables
    /// makes the node use the nftables backend from then on.
    /// </summary>
    public async Task ApplyFirewallAsync(string taskId, TaskFirewallPolicy policy, CancellationToken ct)
    {
        var rules = FirewallRules.Render(policy, bridgeAddress, metadataAddress ?? MetadataEndpoint.MetadataIds.DefaultAddress);
        string[] enter = [$"--net={NamespacePath(taskId)}"];
        if (_legacyRestore)
        {
            var legacy = ProcessRunner.RunAsync(Nsenter, [.. enter, IptablesLegacyRestore], ct, rules);
            // "can't initialize iptables table `filter'": no x_tables in this kernel, so nftables from now on.
            if (!(await legacy.ConfigureAwait(false)).StandardError.Contains("initialize", StringComparison.Ordinal))
            {
                await CheckAsync(legacy, "security groups").ConfigureAwait(false);
                return;
            }
            _legacyRestore = false;
        }
        await CheckAsync(ProcessRunner.RunAsync(Nsenter, [.. enter, IptablesRestore], ct, rules), "security groups").ConfigureAwait(false);
    }

    /// <summary>Removes the namespace (its veth goes with it), the node's route to a subnet interface, and frees the address.</summary>
    public async Task RemoveAsync(string? networkMode, string taskId, InterfaceAddress? eni, CancellationToken ct)
    {
        if (networkMode == "host")
        {
            return;
        }
        if (File.Exists(NamespacePath(taskId)))
        {
            await ProcessRunner.RunAsync(Ip, ["netns", "delete", NamespaceName(taskId)], ct).ConfigureAwait(false);
        }
        if (eni is not null)
        {
            // Only this bridge's route: the address may already be another task's, on another bridge of this host.
            await ProcessRunner.RunAsync(Ip, ["route", "delete", $"{eni.Address}/32", "dev", bridgeName], ct).ConfigureAwait(false);
        }
        addresses.Release(taskId);
    }

    /// <summary>
    /// What the node needs to carry a subnet interface's traffic: the subnet's gateway address on the bridge (a /32, so
    /// subnets of many VPCs and two agents' bridges on one host never clash), a host route to the task's address through
    /// the bridge (with the bridge address as source, which the task's firewall trusts), and forwarding on.
    /// </summary>
    private async Task RouteAsync(InterfaceAddress eni, CancellationToken ct)
    {
        if (_gateways.TryAdd(eni.Gateway, 0))
        {
            var add = await ProcessRunner.RunAsync(Ip, ["addr", "add", $"{eni.Gateway}/32", "dev", bridgeName], ct).ConfigureAwait(false);
            if (!add.Succeeded && !add.StandardError.Contains("exists", StringComparison.Ordinal) && !add.StandardError.Contains("already assigned", StringComparison.Ordinal))
            {
                _gateways.TryRemove(eni.Gateway, out _);
                throw new CannotStartContainerException($"CannotStartContainerError: network: gateway {eni.Gateway} on {bridgeName}: {add.StandardError.Trim()}");
            }
            await File.WriteAllTextAsync(IpForward, "1", ct).ConfigureAwait(false);
        }
        await RunAsync(ct, "route", "replace", $"{eni.Address}/32", "dev", bridgeName, "src", bridgeAddress.ToString()).ConfigureAwait(false);
    }

    /// <summary>The node bridge number (its subnet, /16).</summary>
    public IPNetwork Subnet => new(new IPAddress([.. bridgeAddress.GetAddressBytes()[..2], 0, 0]), 16);

    public IPAddress BridgeAddress => bridgeAddress;

    /// <summary>Creates the node bridge with its address and the metadata endpoint's address when missing (idempotent).</summary>
    public async Task EnsureBridgeAsync(CancellationToken ct)
    {
        if (_bridgeReady)
        {
            return;
        }
        if (!(await ProcessRunner.RunAsync(Ip, ["link", "show", bridgeName], ct).ConfigureAwait(false)).Succeeded)
        {
            await AddBridgeAsync(ct).ConfigureAwait(false);
        }
        if (metadataAddress is not null)
        {
            var add = await ProcessRunner.RunAsync(Ip, ["addr", "add", $"{metadataAddress}/32", "dev", bridgeName], ct).ConfigureAwait(false);
            // Already there (a previous agent added it): iproute2 says "File exists" or "Address already assigned".
            if (!add.Succeeded && !add.StandardError.Contains("exists", StringComparison.Ordinal) && !add.StandardError.Contains("already assigned", StringComparison.Ordinal))
            {
                throw new CannotStartContainerException($"CannotStartContainerError: bridge {bridgeName}: metadata address {metadataAddress}: {add.StandardError.Trim()}");
            }
        }
        _bridgeReady = true;
    }

    private async Task AddBridgeAsync(CancellationToken ct)
    {
        var add = await ProcessRunner.RunAsync(Ip, ["link", "add", bridgeName, "type", "bridge"], ct).ConfigureAwait(false);
        if (!add.Succeeded && !add.StandardError.Contains("exists", StringComparison.Ordinal))
        {
            throw new CannotStartContainerException($"CannotStartContainerError: bridge {bridgeName}: {add.StandardError.Trim()}");
        }
        await ProcessRunner.RunAsync(Ip, ["addr", "add", $"{bridgeAddress}/16", "dev", bridgeName], ct).ConfigureAwait(false);
        await RunAsync(ct, "link", "set", bridgeName, "up").ConfigureAwait(false);
    }

    /// <summary><c>ip -batch -</c>: the commands on stdin (no temporary file: creating inodes is what a burst of tasks pays most for).</summary>
    private static Task<ProcessResult> BatchAsync(string? networkNamespace, string commands, CancellationToken ct) =>
        ProcessRunner.RunAsync(Ip, networkNamespace is null ? ["-batch", "-"] : ["-n", networkNamespace, "-batch", "-"], ct, commands);

    private static async Task CheckAsync(Task<ProcessResult> run, string what)
    {
        var result = await run.ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CannotStartContainerException($"CannotStartContainerError: network: {what}: {result.StandardError.Trim()}");
        }
    }

    private static async Task RunAsync(CancellationToken ct, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(Ip, args, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CannotStartContainerException($"CannotStartContainerError: network: ip {string.Join(' ', args)}: {result.StandardError.Trim()}");
        }
    }
}
