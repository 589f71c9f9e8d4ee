using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Gantry.Oci;
using Gantry.Store;

namespace Gantry.Registry.Content;

/// <summary>
/// Blob uploads in progress: <c>uploads/&lt;id&gt;/data</c> grows chunk by chunk (in order), and completing
/// an upload verifies the digest and publishes the data into the <see cref="BlobStore"/>. An upload is never
/// visible as a blob until it completes. Chunks of one upload are serialized; different uploads run in parallel.
/// </summary>
public sealed class UploadStore
{
    private readonly string _root;
    private readonly BlobStore _blobs;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new(StringComparer.Ordinal);

    public UploadStore(BlobStore blobs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _blobs = blobs;
        _time = time;
        _root = PrivateFiles.CreateDirectory(Path.Combine(blobs.Root, "uploads"));
    }

    public string Start(string repository)
    {
        var id = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(_root, id);
        PrivateFiles.CreateDirectory(directory);
        PrivateFiles.WriteAllText(Path.Combine(directory, "info"), JsonSerializer.Serialize(new UploadInfo(repository, _time.GetUtcNow())));
        PrivateFiles.Touch(DataPath(id));
        _sessions[id] = new UploadSession(repository, 0, IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        return id;
    }

    /// <summary>The bytes received so far, or null when there is no such upload in <paramref name="repository"/>.</summary>
    public long? Offset(string repository, string id) => Find(repository, id)?.Offset;

    /// <summary>
    /// Appends a chunk. <paramref name="start"/>, when the client sent a range, must equal the current offset.
    /// A chunk that fails midway (client gone, wrong length) leaves the upload as it was before the chunk.
    /// </summary>
    public async Task<long> AppendAsync(string repository, string id, Stream chunk, long? start, long? length, CancellationToken ct)
    {
        var session = Find(repository, id) ?? throw new UploadUnknownException(id);
        await session.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (start is { } s && s != session.Offset)
            {
                throw new UploadRangeException(session.Offset);
            }
            var before = session.Offset;
            var hashBefore = session.Hash?.Clone();
            try
            {
                long written;
                await using (var file = new FileStream(DataPath(id), FileMode.Open, FileAccess.Write, FileShare.None, BlobStore.BufferSize, FileOptions.Asynchronous))
                {
                    file.Seek(before, SeekOrigin.Begin);
                    written = session.Hash is null
                        ? await CopyAsync(chunk, file, ct).ConfigureAwait(false)
                        : await BlobStore.CopyHashingAsync(chunk, file, session.Hash, ct).ConfigureAwait(false);
                }
                if (length is { } l && l != written)
                {
                    throw new ContentMismatchException(ContentMismatch.Size, $"provided length did not match content length: the chunk has {written} bytes, the request declared {l}");
                }
                session.Offset = before + written;
                hashBefore?.Dispose();
                return session.Offset;
            }
            catch
            {
                using (var file = new FileStream(DataPath(id), FileMode.Open, FileAccess.Write))
                {
                    file.SetLength(before);
                }
                session.Hash?.Dispose();
                session.Hash = hashBefore;
                session.Offset = before;
                throw;
            }
        }
        finally
        {
            session.Lock.Release();
        }
    }

    /// <summary>Appends an optional last chunk, verifies the whole upload against <paramref name="digest"/> and publishes it.</summary>
    /// <returns>The blob's size.</returns>
    public async Task<long> CompleteAsync(string repository, string id, Digest digest, Stream? lastChunk, long? lastLength, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(digest);
        if (lastChunk is not null)
        {
            await AppendAsync(repository, id, lastChunk, null, lastLength, ct).ConfigureAwait(false);
        }
        var session = Find(repository, id) ?? throw new UploadUnknownException(id);
        await session.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var data = DataPath(id);
            await using (var file = new FileStream(data, FileMode.Open, FileAccess.ReadWrite, FileShare.None, BlobStore.BufferSize, FileOptions.Asynchronous))
            {
                file.Flush(flushToDisk: true);
                var actual = session.Hash is not null && digest.Algorithm == Digest.Sha256
                    ? Digest.FromHash(Digest.Sha256, session.Hash)
                    : await Digest.OfAsync(file, digest.Algorithm, ct).ConfigureAwait(false);
                if (actual != digest)
                {
                    throw new ContentMismatchException(ContentMismatch.Digest, $"uploaded content has digest {actual}, not {digest}");
                }
            }
            _blobs.Publish(data, digest);
            var size = session.Offset;
            Remove(id);
            return size;
        }
        finally
        {
            session.Lock.Release();
        }
    }

    public bool Cancel(string repository, string id)
    {
        if (Find(repository, id) is null)
        {
            return false;
        }
        Remove(id);
        return true;
    }

    /// <summary>Removes uploads started before <paramref name="startedBefore"/>; returns how many.</summary>
    public int RemoveStale(DateTimeOffset startedBefore)
    {
        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(_root))
        {
            var id = Path.GetFileName(directory);
            var info = ReadInfo(id);
            if (info is null || info.StartedAt < startedBefore)
            {
                Remove(id);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>What uploads in progress (or abandoned by a client or a crash, until they expire) hold on disk.</summary>
    public PendingUploads Pending()
    {
        var (count, bytes) = (0, 0L);
        foreach (var directory in Directory.EnumerateDirectories(_root))
        {
            var data = new FileInfo(Path.Combine(directory, "data"));
            count++;
            bytes += data.Exists ? data.Length : 0;
        }
        return new PendingUploads(count, bytes);
    }

    private UploadSession? Find(string repository, string id)
    {
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        if (_sessions.TryGetValue(id, out var session))
        {
            return session.Repository == repository ? session : null;
        }
        var info = ReadInfo(id);
        if (info is null || info.Repository != repository)
        {
            return null;
        }
        // Known on disk but not in memory (the process restarted): resume without a running hash.
        var resumed = new UploadSession(repository, new FileInfo(DataPath(id)).Length, null);
        return _sessions.GetOrAdd(id, resumed);
    }

    private UploadInfo? ReadInfo(string id)
    {
        try
        {
            return JsonSerializer.Deserialize<UploadInfo>(File.ReadAllText(Path.Combine(_root, id, "info")));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Remove(string id)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            session.Hash?.Dispose();
        }
        var directory = Path.Combine(_root, id);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private string DataPath(string id) => Path.Combine(_root, id, "data");

    private static async Task<long> CopyAsync(Stream source, Stream destination, CancellationToken ct)
    {
        var before = destination.Position;
        await source.CopyToAsync(destination, BlobStore.BufferSize, ct).ConfigureAwait(false);
        return destination.Position - before;
    }

    private sealed record UploadInfo(string Repository, DateTimeOffset StartedAt);

    private sealed class UploadSession(string repository, long offset, IncrementalHash? hash)
    {
        public string Repository { get; } = repository;
        public long Offset { get; set; } = offset;
        public IncrementalHash? Hash { get; set; } = hash;
        public SemaphoreSlim Lock { get; } = new(1, 1);
    }
}
