using Gantry.Oci;
using Gantry.Store;

namespace Gantry.Registry.Content;

/// <summary>
/// Content-addressed blobs on the filesystem: <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>. Content arrives in a
/// temporary file under <c>ingest/</c>, is verified against its digest and size, flushed to disk and renamed
/// into place atomically, so a blob is either whole or absent. Ingesting a blob that exists is a no-op.
/// Directories are 0700 and files 0600: only the owner reads the registry's content.
/// </summary>
public sealed class BlobStore
{
    public const int BufferSize = 128 * 1024;
    private readonly string _blobs;

    public BlobStore(string root)
    {
        Root = root;
        _blobs = Path.Combine(root, "blobs");
        IngestDirectory = Path.Combine(root, "ingest");
        PrivateFiles.CreateDirectory(root);
        PrivateFiles.CreateDirectory(_blobs);
        PrivateFiles.CreateDirectory(IngestDirectory);
    }

    public string Root { get; }

    /// <summary>Where temporary content lives before it is verified; same filesystem as the blobs.</summary>
    public string IngestDirectory { get; }

    public string PathOf(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return Path.Combine(_blobs, digest.Algorithm, digest.Hex);
    }

    /// <summary>The size of a stored blob, or null when it is absent.</summary>
    public long? SizeOf(Digest digest)
    {
        var info = new FileInfo(PathOf(digest));
        return info.Exists ? info.Length : null;
    }

    public FileStream OpenRead(Digest digest) =>
        new(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>A new temporary file for ingest; the caller writes it and then calls <see cref="CommitAsync"/> or deletes it.</summary>
    public string NewTemporaryPath() => Path.Combine(IngestDirectory, Guid.NewGuid().ToString("N"));

    /// <summary>Streams <paramref name="source"/> into the store, verifying the digest (and size when given).</summary>
    /// <exception cref="ContentMismatchException">The content does not match <paramref name="expected"/>.</exception>
    public async Task<long> IngestAsync(Stream source, Digest expected, long? expectedSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(expected);
        var temp = NewTemporaryPath();
        try
        {
            long size;
            using var hash = expected.CreateHash();
            await using (var file = CreateTemporary(temp))
            {
                size = await CopyHashingAsync(source, file, hash, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }
            if (expectedSize is { } want && want != size)
            {
                throw new ContentMismatchException(ContentMismatch.Size, $"size {size} does not match the declared {want}");
            }
            var actual = Digest.FromHash(expected.Algorithm, hash);
            if (actual != expected)
            {
                throw new ContentMismatchException(ContentMismatch.Digest, $"content digest {actual} does not match {expected}");
            }
            Publish(temp, expected);
            return size;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Moves a verified temporary file into place (fsynced first by the caller). Existing content wins.</summary>
    public void Publish(string temporaryPath, Digest digest)
    {
        var target = PathOf(digest);
        var directory = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(directory))
        {
            PrivateFiles.CreateDirectory(directory);
        }
        // Touched before the temporary copy goes: a collector that buries the blob after this sees a fresh write
        // and puts it back; one that buried it before leaves it absent, and this content takes its place.
        if (Touch(target))
        {
            File.Delete(temporaryPath);
            return;
        }
        try
        {
            File.Move(temporaryPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            Touch(target);
            File.Delete(temporaryPath); // a concurrent upload of the same content won: one blob
        }
        DirectorySync.Flush(directory);
    }

    /// <summary>
    /// Moves a blob aside so it can no longer be read, as the first step of collecting it; returns the tombstone
    /// path, or null when the blob is absent. <see cref="Restore"/> undoes it.
    /// </summary>
    public string? Bury(Digest digest)
    {
        var path = PathOf(digest);
        var tombstone = Path.Combine(IngestDirectory, $"gc-{digest.Algorithm}-{digest.Hex}");
        try
        {
            File.Move(path, tombstone, overwrite: true);
            return tombstone;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Puts a buried blob back (unless the same content was published meanwhile).</summary>
    public void Restore(string tombstone, Digest digest) => Publish(tombstone, digest);

    public bool Delete(Digest digest)
    {
        var path = PathOf(digest);
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    /// <summary>Every stored blob with its last write time, for garbage collection.</summary>
    public IEnumerable<(Digest Digest, DateTimeOffset WrittenAt)> Enumerate()
    {
        foreach (var algorithm in new[] { Digest.Sha256, Digest.Sha512 })
        {
            var directory = new DirectoryInfo(Path.Combine(_blobs, algorithm));
            if (!directory.Exists)
            {
                continue;
            }
            foreach (var file in directory.EnumerateFiles())
            {
                if (Digest.TryParse($"{algorithm}:{file.Name}", out var digest))
                {
                    yield return (digest, file.LastWriteTimeUtc);
                }
            }
        }
    }

    /// <summary>Re-publishing content counts as a fresh write, so garbage collection's grace period protects it again.</summary>
    /// <returns>False when the blob is absent.</returns>
    private static bool Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>A new file only the owner can read (blobs keep the mode when renamed into place).</summary>
    internal static FileStream CreateTemporary(string path)
    {
        var file = new FileStream(path, PrivateFiles.NewFile(FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous));
        PrivateFiles.Restrict(path);
        return file;
    }

    internal static async Task<long> CopyHashingAsync(Stream source, Stream destination, System.Security.Cryptography.IncrementalHash hash, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                total += read;
            }
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
