using System.Collections.Concurrent;

namespace Gantry.Agent.Images;

/// <summary>
/// Leases on snapshots (containerd's leases): a pull holds one lease and adds every snapshot it depends on, so the
/// collector leaves those snapshots alone until the pull ends and releases its lease. Leases are counted per snapshot.
/// </summary>
internal sealed class SnapshotLeases
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>A new, empty lease; dispose it to release every snapshot added to it.</summary>
    public Lease Create() => new(this);

    /// <summary>True while any lease holds the snapshot.</summary>
    public bool IsLeased(string hex)
    {
        lock (_counts)
        {
            return _counts.ContainsKey(hex);
        }
    }

    private void Add(string hex)
    {
        lock (_counts)
        {
            _counts[hex] = _counts.GetValueOrDefault(hex) + 1;
        }
    }

    private void Release(IEnumerable<string> hexes)
    {
        lock (_counts)
        {
            foreach (var hex in hexes)
            {
                if (--_counts[hex] == 0)
                {
                    _counts.Remove(hex);
                }
            }
        }
    }

    /// <summary>The snapshots one pull holds; safe to add to from parallel layer downloads.</summary>
    public sealed class Lease(SnapshotLeases owner) : IDisposable
    {
        private readonly ConcurrentBag<string> _held = [];
        private int _released;

        public void Add(string hex)
        {
            owner.Add(hex);
            _held.Add(hex);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(_held);
            }
        }
    }
}
