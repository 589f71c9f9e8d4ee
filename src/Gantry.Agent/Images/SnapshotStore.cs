using System.Collections.Concurrent;
using System.IO.Enumeration;
using Gantry.Oci;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Images;

/// <summary>
/// The snapshotter: <c>snapshots/&lt;layer digest hex&gt;</c> is one layer unpacked once, an overlayfs lower directory shared by
/// every image with that layer. A snapshot is prepared in a staging directory beside it and committed by renaming; it is removed
/// by renaming it aside, then deleting. One mutex per layer is held while its snapshot is made or removed.
/// </summary>
internal sealed partial class SnapshotStore
{
    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();
    private readonly ConcurrentDictionary<string, long> _sizes = new(StringComparer.Ordinal);

    /// <param name="directory">The snapshots directory (created when missing).</param>
    /// <param name="logger">Removals.</param>
    public SnapshotStore(string directory, ILogger logger)
    {
        _directory = Directory.CreateDirectory(directory).FullName;
        _logger = logger;
    }

    /// <summary>The directory of a layer's snapshot (whether or not it is committed).</summary>
    public string PathOf(string hex) => Path.Combine(_directory, hex);

    public bool Exists(string hex) => Directory.Exists(PathOf(hex));

    /// <summary>Waits for the layer's mutex; dispose the result to release it.</summary>
    public Task<IDisposable> LockAsync(string hex, CancellationToken cancellationToken) => _locks.AcquireAsync(hex, cancellationToken);

    /// <summary>Takes the layer's mutex when nobody holds it; null otherwise.</summary>
    public IDisposable? TryLock(string hex) => _locks.TryAcquire(hex);

    /// <summary>A fresh staging directory path to unpack the layer into, beside its snapshot.</summary>
    public string StagingPathOf(string hex) => Staging.PathFor(PathOf(hex));

    /// <summary>Renames an unpacked staging directory into the layer's snapshot; <paramref name="bytes"/> is its content size.</summary>
    public void Commit(string staging, string hex, long bytes)
    {
        Directory.Move(staging, PathOf(hex));
        _sizes[hex] = bytes;
    }

    /// <summary>The layer hexes of every committed snapshot.</summary>
    public IEnumerable<string> Committed() =>
        Directory.EnumerateDirectories(_directory).Select(Path.GetFileName).OfType<string>().Where(name => !Staging.IsStaging(name));

    /// <summary>Staging directories and snapshots being removed.</summary>
    public IEnumerable<string> Staged() => Directory.EnumerateFileSystemEntries(_directory, Staging.Pattern);

    /// <summary>Bytes of file content in a snapshot (measured once, then remembered).</summary>
    public long Usage(string hex) => _sizes.GetOrAdd(hex, h =>
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var files = new FileSystemEnumerable<long>(PathOf(h), (ref FileSystemEntry entry) => entry.Length, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        return files.Sum();
    });

    /// <summary>Moves the snapshot aside and deletes it; the caller holds the layer's mutex. False when it could not be moved.</summary>
    public bool Remove(string hex)
    {
        var snapshot = PathOf(hex);
        var doomed = Staging.PathFor(snapshot);
        try
        {
            Directory.Move(snapshot, doomed);
        }
        catch (IOException e)
        {
            LogRemoveFailed(_logger, snapshot, e.Message);
            return false;
        }
        _sizes.TryRemove(hex, out _);
        Staging.DeleteQuietly(doomed);
        LogSnapshotRemoved(_logger, hex);
        return true;
    }

    /// <summary>The layer hex of <paramref name="item"/>: a layer digest, or a snapshot directory of this store; null for anything else.</summary>
    public string? HexOfItem(string item)
    {
        if (Digest.TryParse(item, out var digest))
        {
            return digest.Hex;
        }
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(item));
        return string.Equals(Path.GetDirectoryName(full), _directory, StringComparison.Ordinal) ? Path.GetFileName(full) : null;
    }

    /// <summary>The hex a layer's snapshot is named by.</summary>
    /// <exception cref="ImagePullException">Not a digest of lowercase hex.</exception>
    public static string HexOf(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var hex = colon < 0 ? digest : digest[(colon + 1)..];
        return hex.Length > 0 && hex.All(char.IsAsciiHexDigitLower) ? hex : throw new ImagePullException($"'{digest}' is not a valid digest");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed snapshot {Hex}")]
    private static partial void LogSnapshotRemoved(ILogger logger, string hex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove snapshot {Path}: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string path, string reason);
}
