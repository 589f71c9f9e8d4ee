using Gantry.Store;

namespace Gantry.LoadBalancing.Health;

/// <summary>
/// Writes target health records so that the store always ends with the latest in-memory state of every target:
/// the checker names the write it wants per record (a put or a delete) in the order of its changes, and one flush at
/// a time commits the latest wanted write of each record. A write committed late can no longer overwrite a newer one.
/// </summary>
internal sealed class HealthRecordWriter(IStateStore store) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private Dictionary<(string Kind, string Key), WriteOp> _wanted = [];

    /// <summary>Wants <paramref name="write"/> for its record, replacing a wanted write not committed yet.</summary>
    public void Want(WriteOp write)
    {
        lock (_gate)
        {
            _wanted[(write.Kind, write.Key)] = write;
        }
    }

    /// <summary>Commits every wanted write, after the flush in progress if any: when it returns, what was wanted before is stored.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            while (Take() is { Count: > 0 } batch)
            {
                try
                {
                    await store.CommitAsync([.. batch.Values], ct).ConfigureAwait(false);
                }
                catch
                {
                    Restore(batch);
                    throw;
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    private Dictionary<(string Kind, string Key), WriteOp> Take()
    {
        lock (_gate)
        {
            var taken = _wanted;
            _wanted = [];
            return taken;
        }
    }

    /// <summary>A failed commit's writes are wanted again, unless a newer write for the same record is.</summary>
    private void Restore(Dictionary<(string Kind, string Key), WriteOp> batch)
    {
        lock (_gate)
        {
            foreach (var (record, write) in batch)
            {
                _wanted.TryAdd(record, write);
            }
        }
    }
}
