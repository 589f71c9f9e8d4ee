using System.Collections.Concurrent;

namespace Gantry.ControlPlane.Tasks;

/// <summary>
/// One asynchronous lock per cluster: launches in one replica take turns per cluster (placement and commit), so they
/// never conflict with each other on a binpacked instance or the cluster document; only another replica's commits can.
/// </summary>
public sealed class ClusterLocks : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<Held> EnterAsync(string cluster, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(cluster, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Held(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _locks.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>The cluster's turn; disposing it lets the next launch in.</summary>
    public readonly struct Held(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
