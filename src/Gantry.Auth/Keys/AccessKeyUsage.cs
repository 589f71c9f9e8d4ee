using System.Collections.Concurrent;
using System.Text.Json;
using Gantry.Store;
using Microsoft.Extensions.Logging;

namespace Gantry.Auth.Keys;

/// <summary>When, for which service and in which region an access key was last used.</summary>
public sealed record AccessKeyLastUse(DateTimeOffset At, string Service, string Region);

/// <summary>
/// Access keys' last use (GetAccessKeyLastUsed). A request only notes it in memory; <see cref="RunAsync"/> writes a key's
/// newest use at most once per <see cref="WriteEvery"/>, off the request path, and keeps it for the next round when the
/// store is unavailable. Reads prefer what this process noted over what is stored.
/// </summary>
public sealed partial class AccessKeyUsage(IStateStore store, TimeProvider time)
{
    public const string Kind = "access-key-use";
    public static readonly TimeSpan WriteEvery = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    /// <summary>Notes a use of <paramref name="accessKeyId"/> now. Allocation-light: one entry per key.</summary>
    public void Note(string accessKeyId, string service, string region)
    {
        var use = new AccessKeyLastUse(time.GetUtcNow(), service, region);
        _seen.AddOrUpdate(accessKeyId, static (_, u) => new Seen(u), static (_, seen, u) =>
        {
            seen.Last = u;
            return seen;
        }, use);
    }

    /// <summary>Forgets a deleted key (its stored use is deleted with it).</summary>
    public void Forget(string accessKeyId) => _seen.TryRemove(accessKeyId, out _);

    /// <summary>The write that removes a key's stored use, to commit with the key's deletion.</summary>
    public static WriteOp DeleteOf(string accessKeyId) => new DeleteOp(Kind, accessKeyId);

    /// <summary>The newest known use of a key, or null when it was never used.</summary>
    public async Task<AccessKeyLastUse?> FindAsync(string accessKeyId, CancellationToken ct)
    {
        var stored = await store.GetAsync(Kind, accessKeyId, ct).ConfigureAwait(false);
        var written = stored is null ? null : JsonSerializer.Deserialize<AccessKeyLastUse>(stored.Body);
        var noted = _seen.TryGetValue(accessKeyId, out var seen) ? seen.Last : null;
        return noted is not null && (written is null || noted.At > written.At) ? noted : written;
    }

    /// <summary>Writes the uses due (never written, or written <see cref="WriteEvery"/> ago and used since).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var (id, seen) in _seen)
        {
            var last = seen.Last;
            if (last == seen.Written || (seen.WrittenAt is { } at && now - at < WriteEvery))
            {
                continue;
            }
            await store.CommitAsync([new PutOp(Kind, id, JsonSerializer.Serialize(last))], ct).ConfigureAwait(false);
            seen.Written = last;
            seen.WrittenAt = now;
        }
    }

    /// <summary>Flushes every <see cref="FlushInterval"/> until cancelled; a failed round (store outage) is logged and retried.</summary>
    public async Task RunAsync(ILogger logger, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await FlushAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                FlushFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording access keys' last use failed; retrying next round")]
    private static partial void FlushFailed(ILogger logger, Exception error);

    private sealed class Seen(AccessKeyLastUse last)
    {
        public AccessKeyLastUse Last { get; set; } = last;
        public AccessKeyLastUse? Written { get; set; }
        public DateTimeOffset? WrittenAt { get; set; }
    }
}
