using Gantry.Dns;
using Gantry.Domain.Elbv2;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.ControlPlane.Discovery;

/// <summary>
/// Keeps a <see cref="DnsServer"/>'s catalog in step with Cloud Map: follows the store's change feed and, when a namespace,
/// service or instance changed, reads the <see cref="DiscoverySnapshot"/> again and swaps in its <see cref="DnsZones"/>
/// (a changed instance resolves within one feed wait and one read), and load balancers' names with them. Compacted changes or a failed read mean a full read
/// again, with backoff. Every replica runs one for its own DNS server.
/// </summary>
public sealed partial class DiscoveryDnsFeed(DiscoveryRegistry registry, Documents documents, DnsServer server, TimeProvider time, ILogger<DiscoveryDnsFeed> logger)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500), LastRetry = TimeSpan.FromSeconds(30);
    private const int ChangesPage = 1000;

    private static readonly HashSet<string> WatchedKinds = new(StringComparer.Ordinal)
    {
        DiscoveryKinds.Namespace, DiscoveryKinds.Service, DiscoveryKinds.Instance, ElbKinds.LoadBalancer,
    };

    private IStateStore Store => documents.Store;

    public async Task RunAsync(CancellationToken ct)
    {
        var seen = 0L;
        var rebuild = true;
        var retry = FirstRetry;
        try
        {
            while (true)
            {
                if (rebuild)
                {
                    var revision = Store.CurrentRevision;
                    if (!await ApplyAsync(revision, ct).ConfigureAwait(false))
                    {
                        await Task.Delay(retry, time, ct).ConfigureAwait(false);
                        retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                        continue;
                    }
                    seen = revision;
                    retry = FirstRetry;
                }
                try
                {
                    await Store.WaitForChangeAsync(seen, ct).ConfigureAwait(false);
                    var changes = await Store.ChangesSinceAsync(seen, ChangesPage, ct).ConfigureAwait(false);
                    rebuild = changes.Count == ChangesPage || changes.Any(c => WatchedKinds.Contains(c.Kind));
                    if (changes.Count > 0)
                    {
                        seen = changes[^1].Revision;
                    }
                }
                catch (ChangeFeedCompactedException)
                {
                    rebuild = true;
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogFollowFailed(logger, e);
                    await Task.Delay(retry, time, ct).ConfigureAwait(false);
                    rebuild = true;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> ApplyAsync(long revision, CancellationToken ct)
    {
        try
        {
            var snapshot = await registry.ReadSnapshotAsync(ct).ConfigureAwait(false);
            var balancers = await documents.ListAllAsync<LoadBalancerRecord>(ElbKinds.LoadBalancer, null, ct).ConfigureAwait(false);
            server.Update(DnsZones.Build(snapshot, [.. balancers.Select(b => (b.Value.LoadBalancer.DNSName ?? "", b.Value.ListenAddress))], revision));
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogReadFailed(logger, e);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloud Map DNS: following the store failed; reading it again")]
    private static partial void LogFollowFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cloud Map DNS: reading the namespaces failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception e);
}
