namespace Gantry.Agent.Engine;

/// <summary>The /etc/hosts, /etc/hostname and /etc/resolv.conf a container gets, written into its task's directory.</summary>
public static class ContainerFiles
{
    /// <param name="extraHosts">Further /etc/hosts lines (address, names): resolved links and extraHosts.</param>
    /// <param name="nameserver">The node's DNS relay the task reaches (null: the host's resolvers, as host-mode tasks have).</param>
    /// <param name="search">Search domains (the task's Cloud Map namespace) when <paramref name="nameserver"/> is set.</param>
    public static async Task<(string Hosts, string Hostname, string ResolvConf)> WriteAsync(string directory, string hostname,
        IReadOnlyList<(string Address, string Names)> extraHosts, System.Net.IPAddress? nameserver, IReadOnlyList<string>? search, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(extraHosts);
        Directory.CreateDirectory(directory);
        var hosts = Path.Combine(directory, "hosts");
        var name = Path.Combine(directory, "hostname");
        var resolv = Path.Combine(directory, "resolv.conf");
        var extra = string.Concat(extraHosts.Select(h => $"{h.Address}\t{h.Names}\n"));
        await File.WriteAllTextAsync(hosts, $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n{extra}", ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(name, hostname + "\n", ct).ConfigureAwait(false);
        if (nameserver is not null)
        {
            var searchLine = search is { Count: > 0 } ? $"search {string.Join(' ', search)}\n" : "";
            await File.WriteAllTextAsync(resolv, $"{searchLine}nameserver {nameserver}\n", ct).ConfigureAwait(false);
            return (hosts, name, resolv);
        }
        var hostResolv = File.Exists("/etc/resolv.conf") ? await File.ReadAllTextAsync("/etc/resolv.conf", ct).ConfigureAwait(false) : "";
        // A resolver on the host's loopback is unreachable from the container's namespace: leave it out.
        var usable = string.Join('\n', hostResolv.Split('\n').Where(l => !l.TrimStart().StartsWith("nameserver 127.", StringComparison.Ordinal)));
        await File.WriteAllTextAsync(resolv, usable, ct).ConfigureAwait(false);
        return (hosts, name, resolv);
    }
}
