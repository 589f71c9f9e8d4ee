using System.Collections.Concurrent;

namespace Gantry.Agent.MetadataEndpoint;

/// <summary>
/// Keeps each running container's last two stats samples, so <c>precpu_stats</c> holds the sample before
/// <c>cpu_stats</c> (clients compute CPU% from the difference). A background loop samples every
/// <see cref="Interval"/>; a request samples anew when the last sample is older than <see cref="Fresh"/>. Containers
/// that stopped are forgotten on the next round.
/// </summary>
public sealed class StatsSampler(CgroupStatsReader reader, Func<string, string> runcStateFile, TimeProvider time)
{
    /// <summary>How often running containers are sampled in the background.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>A sample this young is served as it is (Docker's stats cadence is one second).</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (StatsSample Latest, StatsSample? Previous)> _samples = new(StringComparer.Ordinal);

    /// <summary>The latest sample of the container and the one before it (null before a second sample); null when runc no longer knows it.</summary>
    public (StatsSample Latest, StatsSample? Previous)? Get(string runtimeId, bool ownNetwork)
    {
        if (_samples.TryGetValue(runtimeId, out var known) && time.GetUtcNow() - known.Latest.Read < Fresh)
        {
            return known;
        }
        return Sample(runtimeId, ownNetwork);
    }

    /// <summary>Takes a new sample; the one it replaces becomes the previous.</summary>
    public (StatsSample Latest, StatsSample? Previous)? Sample(string runtimeId, bool ownNetwork)
    {
        if (reader.Read(runcStateFile(runtimeId), ownNetwork, time.GetUtcNow()) is not { } sample)
        {
            _samples.TryRemove(runtimeId, out _);
            return null;
        }
        return _samples.AddOrUpdate(runtimeId, _ => (sample, null), (_, old) => (sample, old.Latest));
    }

    /// <summary>Samples the running containers every <see cref="Interval"/> until cancelled; forgets the others.</summary>
    /// <param name="running">Each running container's runtime id and whether it has a network namespace of its own.</param>
    public async Task RunAsync(Func<IReadOnlyList<(string RuntimeId, bool OwnNetwork)>> running, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(running);
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var containers = running();
                foreach (var (runtimeId, ownNetwork) in containers)
                {
                    Sample(runtimeId, ownNetwork);
                }
                var live = containers.Select(c => c.RuntimeId).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in _samples.Keys.Where(k => !live.Contains(k)))
                {
                    _samples.TryRemove(gone, out _);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>How many containers have samples kept (tests: nothing leaks).</summary>
    public int Count => _samples.Count;
}
