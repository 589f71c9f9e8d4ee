using System.Text.Json;
using Gantry.Store;

namespace Gantry.Registry.Content;

/// <summary>
/// One upload on disk, the truth every replica sharing the blob directory reads: <c>uploads/&lt;id&gt;/</c> holds
/// <c>info</c> (repository, start time), <c>data</c> (the bytes; past the committed offset only the leftovers of a
/// chunk that failed), <c>state</c> (the committed offset and the last chunk's time, replaced atomically after each
/// chunk; absent before the first chunk and in uploads of earlier versions, whose offset is the data's length) and
/// <c>lock</c> (held exclusively, an advisory lock on the open file, while a chunk is written or the upload completed
/// or removed).
/// </summary>
internal sealed class UploadFiles(string directory)
{
    public string Directory { get; } = directory;

    public string Data => Path.Combine(Directory, "data");

    public bool Exists => System.IO.Directory.Exists(Directory);

    public void Create(UploadInfo info)
    {
        PrivateFiles.CreateDirectory(Directory);
        PrivateFiles.WriteAllText(Path.Combine(Directory, "info"), JsonSerializer.Serialize(info));
        PrivateFiles.Touch(Data);
    }

    public UploadInfo? ReadInfo() => Read<UploadInfo>("info");

    public UploadState? ReadState() => Read<UploadState>("state");

    /// <summary>The bytes committed so far.</summary>
    public long CommittedOffset() => ReadState()?.Offset ?? (new FileInfo(Data) is { Exists: true } data ? data.Length : 0);

    /// <summary>Records a committed offset: written beside, flushed, then renamed over the previous state.</summary>
    public void Commit(UploadState state)
    {
        var temporary = Path.Combine(Directory, $"state.{Guid.NewGuid():N}");
        using (var file = new FileStream(temporary, PrivateFiles.NewFile(FileMode.CreateNew, FileAccess.Write)))
        {
            JsonSerializer.Serialize(file, state);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path.Combine(Directory, "state"), overwrite: true);
    }

    /// <summary>Takes the upload's lock, or returns null when another process (another replica) holds it.</summary>
    public FileStream? TryLock()
    {
        try
        {
            return new FileStream(Path.Combine(Directory, "lock"), PrivateFiles.NewFile(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (Exists)
        {
            return null;
        }
    }

    private T? Read<T>(string name)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(Path.Combine(Directory, name)));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

internal sealed record UploadInfo(string Repository, DateTimeOffset StartedAt);

internal sealed record UploadState(long Offset, DateTimeOffset UpdatedAt);
