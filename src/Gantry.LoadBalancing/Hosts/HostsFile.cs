using System.Text;
using Gantry.LoadBalancing.State;

namespace Gantry.LoadBalancing.Hosts;

/// <summary>
/// Keeps a marked block of a hosts file (<c>/etc/hosts</c> by default) mapping every load balancer's DNS name to its
/// address, so the names resolve on this machine. Other lines are kept as they are; each rewrite goes to a temporary
/// file renamed over the original, so readers never see half a file.
/// </summary>
public sealed class HostsFile(string ownerId, string path = HostsFile.DefaultPath)
{
    public const string DefaultPath = "/etc/hosts";

    private readonly string _begin = $"# gantry load balancers {ownerId} begin";
    private readonly string _end = $"# gantry load balancers {ownerId} end";

    public string Path { get; } = path;

    /// <summary>Writes the block for <paramref name="snapshot"/>'s load balancers (none: no block); leaves the file alone when nothing changes.</summary>
    public Task WriteAsync(LoadBalancingSnapshot snapshot, CancellationToken ct) =>
        RewriteAsync([.. snapshot.LoadBalancers
            .Where(b => !string.IsNullOrEmpty(b.Record.LoadBalancer.DNSName))
            .OrderBy(b => b.Record.LoadBalancer.DNSName, StringComparer.Ordinal)
            .Select(b => $"{b.Address} {b.Record.LoadBalancer.DNSName}")], ct);

    /// <summary>Removes the block (on shutdown).</summary>
    public Task RemoveAsync(CancellationToken ct) => RewriteAsync([], ct);

    private async Task RewriteAsync(IReadOnlyList<string> entries, CancellationToken ct)
    {
        var current = File.Exists(Path) ? await File.ReadAllTextAsync(Path, ct).ConfigureAwait(false) : "";
        var next = Render(current, entries);
        if (next == current)
        {
            return;
        }
        var temp = $"{Path}.gantry-{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(temp, next, ct).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows() && File.Exists(Path))
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(Path));
        }
        try
        {
            File.Move(temp, Path, overwrite: true);
        }
        catch (IOException)
        {
            // A bind-mounted hosts file (containers) cannot be replaced by a rename: write it in place instead.
            File.Delete(temp);
            await File.WriteAllTextAsync(Path, next, ct).ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="current"/> without this owner's block, then the new block at the end when there are entries.</summary>
    internal string Render(string current, IReadOnlyList<string> entries)
    {
        var lines = new List<string>();
        var inBlock = false;
        foreach (var line in current.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed == _begin)
            {
                inBlock = true;
            }
            else if (trimmed == _end && inBlock)
            {
                inBlock = false;
            }
            else if (!inBlock)
            {
                lines.Add(line);
            }
        }
        var text = new StringBuilder(string.Join('\n', lines).TrimEnd('\n'));
        if (text.Length > 0)
        {
            text.Append('\n');
        }
        if (entries.Count > 0)
        {
            text.Append(_begin).Append('\n');
            foreach (var entry in entries)
            {
                text.Append(entry).Append('\n');
            }
            text.Append(_end).Append('\n');
        }
        return text.ToString();
    }
}
