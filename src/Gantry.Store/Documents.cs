using System.Text.Json;

namespace Gantry.Store;

/// <summary>A stored document bound to its type, with the version it was read at.</summary>
public sealed record Versioned<T>(T Value, long Version);

/// <summary>Typed JSON documents over <see cref="IStateStore"/>, with read-modify-write retried on conflicts.</summary>
public sealed class Documents(IStateStore store, JsonSerializerOptions jsonOptions)
{
    private const int MaxAttempts = 8;

    public IStateStore Store => store;

    public async Task<Versioned<T>?> GetAsync<T>(string kind, string key, CancellationToken ct)
    {
        var stored = await store.GetAsync(kind, key, ct).ConfigureAwait(false);
        return stored is null ? null : new Versioned<T>(Read<T>(stored), stored.Version);
    }

    public async Task<IReadOnlyList<Versioned<T>>> ListAsync<T>(string kind, string? keyPrefix, string? afterKey, int limit, CancellationToken ct)
    {
        var stored = await store.ListAsync(kind, keyPrefix, afterKey, limit, ct).ConfigureAwait(false);
        var result = new List<Versioned<T>>(stored.Count);
        foreach (var item in stored)
        {
            result.Add(new Versioned<T>(Read<T>(item), item.Version));
        }
        return result;
    }

    /// <summary>Every document of a kind under a key prefix, in key order, read a page at a time.</summary>
    public async Task<IReadOnlyList<Versioned<T>>> ListAllAsync<T>(string kind, string? keyPrefix, CancellationToken ct)
    {
        const int PageSize = 1000;
        var all = new List<Versioned<T>>();
        string? after = null;
        while (true)
        {
            var page = await store.ListAsync(kind, keyPrefix, after, PageSize, ct).ConfigureAwait(false);
            all.AddRange(page.Select(stored => new Versioned<T>(Read<T>(stored), stored.Version)));
            if (page.Count < PageSize)
            {
                return all;
            }
            after = page[^1].Key;
        }
    }

    /// <summary>
    /// Documents of a kind under a key prefix in key order, strictly after <paramref name="afterKey"/>, read a page at a
    /// time as the caller consumes them: memory stays bounded by one page however many documents there are.
    /// </summary>
    public async IAsyncEnumerable<Versioned<T>> EnumerateAsync<T>(string kind, string? keyPrefix, string? afterKey,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        const int PageSize = 500;
        while (true)
        {
            var page = await store.ListAsync(kind, keyPrefix, afterKey, PageSize, ct).ConfigureAwait(false);
            foreach (var stored in page)
            {
                yield return new Versioned<T>(Read<T>(stored), stored.Version);
            }
            if (page.Count < PageSize)
            {
                yield break;
            }
            afterKey = page[^1].Key;
        }
    }

    /// <summary>
    /// One page of documents that pass <paramref name="filter"/>, in key order (or reverse), resuming after
    /// <paramref name="cursor"/>. The returned cursor is null when nothing is left.
    /// </summary>
    public async Task<(IReadOnlyList<T> Items, string? NextCursor)> PageAsync<T>(
        string kind, string? keyPrefix, string? cursor, int limit, bool descending, Func<T, bool> filter, CancellationToken ct)
    {
        var items = new List<T>(limit);
        while (true)
        {
            var batch = descending
                ? await store.ListDescendingAsync(kind, keyPrefix, cursor, limit + 1, ct).ConfigureAwait(false)
                : await store.ListAsync(kind, keyPrefix, cursor, limit + 1, ct).ConfigureAwait(false);
            foreach (var stored in batch)
            {
                if (items.Count == limit)
                {
                    return (items, cursor);
                }
                cursor = stored.Key;
                var value = Read<T>(stored);
                if (filter(value))
                {
                    items.Add(value);
                }
            }
            if (batch.Count <= limit)
            {
                return (items, null);
            }
        }
    }

    public PutOp Put<T>(string kind, string key, T value, long? expectedVersion) =>
        new(kind, key, JsonSerializer.Serialize(value, jsonOptions), expectedVersion);

    /// <summary>
    /// Reads the document, applies <paramref name="change"/> and commits with the read version, retrying
    /// when another writer got there first. <paramref name="change"/> may throw to abort; it must be pure.
    /// </summary>
    public async Task<T> UpdateAsync<T>(string kind, string key, Func<T?, T> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync<T>(kind, key, ct).ConfigureAwait(false);
            var next = change(current is null ? default : current.Value);
            try
            {
                await store.CommitAsync([Put(kind, key, next, current?.Version ?? WriteOp.MustNotExist)], ct).ConfigureAwait(false);
                return next;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // Someone else wrote in between: read again and re-apply.
            }
        }
    }

    /// <summary>A stored document's body as <typeparamref name="T"/>.</summary>
    public T Read<T>(StoredObject stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return JsonSerializer.Deserialize<T>(stored.Body, jsonOptions)
            ?? throw new InvalidDataException($"Stored {stored.Kind}/{stored.Key} is null.");
    }
}
