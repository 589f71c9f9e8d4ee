using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using Gantry.Agent.Runtime.Conmon;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Networking;

/// <summary>
/// This node's routes to awsvpc tasks on other nodes: <c>&lt;address&gt;/32 via &lt;node&gt;</c> for every task address the
/// control plane lists whose node is not this one (its address is not one of this node's), marked with their own routing
/// protocol number (<see cref="Protocol"/>) so an agent that restarted finds the ones it made. Each update replaces the
/// whole set with one <c>ip -batch</c>; updates arriving while one applies are folded into the next (the latest wins).
/// Nodes must reach each other directly (one link), as with flannel's host-gw.
/// </summary>
public sealed partial class RemoteTaskRoutes(ILogger logger, Func<IReadOnlySet<string>>? localAddresses = null)
{
    /// <summary>The routing protocol number Gantry's routes carry (<c>ip route ... proto 213</c>).</summary>
    public const string Protocol = "213";

    private const string Ip = "/usr/sbin/ip";
    private readonly Lock _lock = new();
    private readonly Func<IReadOnlySet<string>> _localAddresses = localAddresses ?? LocalAddresses;
    private IReadOnlyList<(string Address, string Via)>? _pending;
    private Task _applying = Task.CompletedTask;
    private Dictionary<string, string>? _installed;

    /// <summary>Takes the control plane's latest routes; they are applied in the background.</summary>
    public Task UpdateAsync(IReadOnlyList<(string Address, string Via)> routes)
    {
        lock (_lock)
        {
            var idle = _pending is null;
            _pending = routes;
            if (idle)
            {
                _applying = _applying.ContinueWith(_ => DrainAsync(), TaskScheduler.Default).Unwrap();
            }
            return _applying;
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            IReadOnlyList<(string Address, string Via)> routes;
            lock (_lock)
            {
                if (_pending is null)
                {
                    return;
                }
                routes = _pending;
                _pending = null;
            }
            try
            {
                await ApplyAsync(routes, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                LogRoutesFailed(logger, e.Message);
            }
        }
    }

    /// <summary>The <c>ip -batch</c> commands that turn <paramref name="installed"/> into <paramref name="wanted"/> (pure).</summary>
    public static string Commands(IReadOnlyDictionary<string, string> installed, IReadOnlyDictionary<string, string> wanted)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(wanted);
        var commands = new StringBuilder();
        foreach (var (address, via) in installed.Where(r => !wanted.ContainsKey(r.Key)))
        {
            commands.Append($"route del {address}/32 via {via} proto {Protocol}\n");
        }
        foreach (var (address, via) in wanted.Where(r => installed.GetValueOrDefault(r.Key) != r.Value))
        {
            commands.Append($"route replace {address}/32 via {via} proto {Protocol}\n");
        }
        return commands.ToString();
    }

    private async Task ApplyAsync(IReadOnlyList<(string Address, string Via)> routes, CancellationToken ct)
    {
        _installed ??= await InstalledAsync(ct).ConfigureAwait(false);
        var local = _localAddresses();
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (address, via) in routes.Where(r => !local.Contains(r.Via) && IPAddress.TryParse(r.Address, out _) && IPAddress.TryParse(r.Via, out _)))
        {
            wanted[address] = via;
        }
        var commands = Commands(_installed, wanted);
        if (commands.Length == 0)
        {
            return;
        }
        // -force: one route that cannot be made (its node not on a link) does not hold back the others.
        var result = await ProcessRunner.RunAsync(Ip, ["-force", "-batch", "-"], ct, commands).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            LogRoutesFailed(logger, result.StandardError.Trim());
        }
        _installed = wanted;
    }

    /// <summary>The routes an earlier agent on this node made (<c>ip -o route show proto 213</c>: "10.0.1.5 via 192.0.2.7 dev eth0 ...").</summary>
    private static async Task<Dictionary<string, string>> InstalledAsync(CancellationToken ct)
    {
        var shown = await ProcessRunner.RunAsync(Ip, ["-o", "route", "show", "proto", Protocol], ct).ConfigureAwait(false);
        var installed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var words in shown.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var via = Array.IndexOf(words, "via");
            if (words.Length > 0 && via > 0 && via + 1 < words.Length)
            {
                installed[words[0].Split('/')[0]] = words[via + 1];
            }
        }
        return installed;
    }

    private static IReadOnlySet<string> LocalAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces().SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address.ToString()).ToHashSet(StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Routes to tasks on other nodes: {Reason}")]
    private static partial void LogRoutesFailed(ILogger logger, string reason);
}
