using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gantry.Oci;
using Gantry.Store;

namespace Gantry.Registry.Content;

/// <summary>
/// Blob uploads in progress, kept on the blob directory (<see cref="UploadFiles"/>) so any replica sharing it continues
/// an upload another one started: <c>uploads/&lt;id&gt;/data</c> grows chunk by chunk (in order), the committed offset is
/// recorded after each chunk, and completing an upload verifies the digest and publishes the data into the
/// <see cref="BlobStore"/>. An upload is never visible as a blob until it completes. Chunks of one upload are
/// serialized (in this process by a semaphore, across replicas by the upload's file lock: a chunk arriving while
/// another replica writes one is refused with the committed offset); different uploads run in parallel. The running
/// SHA-256 of what this process wrote is kept in memory only while nobody else has appended since; otherwise
/// completing rehashes the data.
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
        Files(id).Create(new UploadInfo(repository, _time.GetUtcNow()));
        _sessions[id] = new UploadSession { Hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256) };
        return id;
    }

    /// <summary>The bytes received so far, or null when there is no such upload in <paramref name="repository"/>.</summary>
    public long? Offset(string repository, string id) => Find(repository, id)?.CommittedOffset();

    /// <summary>
    /// Appends a chunk. <paramref name="start"/>, when the client sent a range, must equal the current offset.
    /// A chunk that fails midway (client gone, wrong length) leaves the upload as it was before the chunk.
    /// </summary>
    public async Task<long> AppendAsync(string repository, string id, Stream chunk, long? start, long? length, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return await WithUploadAsync(repository, id, async (files, session, before) =>
        {
            if (start is { } s && s != before)
            {
                throw new UploadRangeException(before);
            }
            var hashBefore = session.Hash?.Clone();
            try
            {
                long written;
                await using (var file = new FileStream(files.Data, FileMode.Open, FileAccess.Write, FileShare.None, BlobStore.BufferSize, FileOptions.Asynchronous))
                {
                    file.SetLength(before); // drops what a chunk that failed on a crashed replica left
                    file.Seek(before, SeekOrigin.Begin);
                    written = session.Hash is null
                        ? await CopyAsync(chunk, file, ct).ConfigureAwait(false)
                        : await BlobStore.CopyHashingAsync(chunk, file, session.Hash, ct).ConfigureAwait(false);
                    if (length is { } l && l != written)
                    {
                        throw new ContentMismatchException(ContentMismatch.Size, $"provided length did not match content length: the chunk has {written} bytes, the request declared {l}");
                    }
                    file.Flush(flushToDisk: true);
                }
                files.Commit(new UploadState(before + written, _time.GetUtcNow()));
                session.HashedOffset = before + written;
                hashBefore?.Dispose();
                return before + written;
            }
            catch
            {
                using (var file = new FileStream(files.Data, FileMode.Open, FileAccess.Write))
                {
                    file.SetLength(before);
                }
                session.Hash?.Dispose();
                session.Hash = hashBefore;
                throw;
            }
        }, ct).ConfigureAwait(false);
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
        return await WithUploadAsync(repository, id, async (files, session, size) =>
        {
            await using (var file = new FileStream(files.Data, FileMode.Open, FileAccess.ReadWrite, FileShare.None, BlobStore.BufferSize, FileOptions.Asynchronous))
            {
                file.SetLength(size);
                file.Flush(flushToDisk: true);
                var actual = session.Hash is not null && digest.Algorithm == Digest.Sha256
                    ? Digest.FromHash(Digest.Sha256, session.Hash)
                    : await Digest.OfAsync(file, digest.Algorithm, ct).ConfigureAwait(false);
                if (actual != digest)
                {
                    throw new ContentMismatchException(ContentMismatch.Digest, $"uploaded content has digest {actual}, not {digest}");
                }
            }
            _blobs.Publish(files.Data, digest);
            Remove(id);
            return size;
        }, ct).ConfigureAwait(false);
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

    /// <summary>
    /// Removes uploads idle since before <paramref name="idleBefore"/> (no chunk since, or none since they started);
    /// an upload whose lock another replica holds (a chunk being written, a completion) is left alone. Returns how many.
    /// </summary>
    public int RemoveStale(DateTimeOffset idleBefore)
    {
        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(_root))
        {
            var files = new UploadFiles(directory);
            var lastActive = files.ReadState()?.UpdatedAt ?? files.ReadInfo()?.StartedAt;
            if (lastActive >= idleBefore)
            {
                continue;
            }
            using var held = files.TryLock();
            if (held is null)
            {
                continue;
            }
            Remove(Path.GetFileName(directory));
            removed++;
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

    /// <summary>
    /// Runs <paramref name="work"/> on the upload holding its semaphore and its file lock, with the committed offset as
    /// the files say; the running hash is dropped first when another replica appended since this process hashed.
    /// </summary>
    private async Task<T> WithUploadAsync<T>(string repository, string id, Func<UploadFiles, UploadSession, long, Task<T>> work, CancellationToken ct)
    {
        var files = Find(repository, id) ?? throw new UploadUnknownException(id);
        var session = _sessions.GetOrAdd(id, _ => new UploadSession());
        await session.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            FileStream? held;
            try
            {
                held = files.TryLock();
            }
            catch (DirectoryNotFoundException)
            {
                throw new UploadUnknownException(id);
            }
            using (held)
            {
                if (held is null)
                {
                    throw new UploadRangeException(files.CommittedOffset());
                }
                if (files.ReadInfo() is null)
                {
                    throw new UploadUnknownException(id); // completed or removed by another replica meanwhile
                }
                var offset = files.CommittedOffset();
                if (session.HashedOffset != offset)
                {
                    session.Hash?.Dispose();
                    session.Hash = null;
                    session.HashedOffset = offset;
                }
                return await work(files, session, offset).ConfigureAwait(false);
            }
        }
        finally
        {
            session.Lock.Release();
        }
    }

    private UploadFiles? Find(string repository, string id)
    {
        if (id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }
        var files = Files(id);
        if (files.ReadInfo()?.Repository == repository)
        {
            return files;
        }
        if (!files.Exists && _sessions.TryRemove(id, out var gone))
        {
            gone.Hash?.Dispose(); // completed or removed by another replica
        }
        return null;
    }

    private void Remove(string id)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            session.Hash?.Dispose();
        }
        var directory = Files(id).Directory;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private UploadFiles Files(string id) => new(Path.Combine(_root, id));

    private static async Task<long> CopyAsync(Stream source, Stream destination, CancellationToken ct)
    {
        var before = destination.Position;
        await source.CopyToAsync(destination, BlobStore.BufferSize, ct).ConfigureAwait(false);
        return destination.Position - before;
    }

    /// <summary>What this process keeps of an upload: its semaphore, and the running hash of the first HashedOffset bytes.</summary>
    private sealed class UploadSession
    {
        public IncrementalHash? Hash { get; set; }
        public long HashedOffset { get; set; }
        public SemaphoreSlim Lock { get; } = new(1, 1);
    }
}
