using Gantry.Store;

namespace Gantry.ControlPlane.Networks;

/// <summary>
/// Read, decide, commit with the versions read, and again on a conflict: how every network write stays right when
/// replicas or requests race. A plan reads what it needs, throws the EC2 error it finds, and returns its writes (which
/// re-put the parents whose children it counted, at the version it read).
/// </summary>
internal static class NetworkCommits
{
    private const int MaxAttempts = 8;

    public static async Task<T> RunAsync<T>(IStateStore store, Func<Task<(IReadOnlyList<WriteOp> Writes, T Result)>> plan, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (writes, result) = await plan().ConfigureAwait(false);
            if (writes.Count == 0)
            {
                return result;
            }
            try
            {
                await store.CommitAsync(writes, ct).ConfigureAwait(false);
                return result;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Another writer changed what the plan read: read again and decide again.
            }
            catch (ConcurrencyConflictException)
            {
                throw NetworkErrors.Busy();
            }
        }
    }

    /// <summary>Writes <paramref name="found"/> back as it was read: its version moves, so a racing writer that read it conflicts.</summary>
    public static PutOp Touch<T>(Documents documents, string kind, string key, Versioned<T> found) => documents.Put(kind, key, found.Value, found.Version);
}
