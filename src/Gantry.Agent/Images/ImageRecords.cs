using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Gantry.Agent.Images;

/// <summary>
/// The image metadata store: <c>images/&lt;escaped reference&gt;.json</c> records what a reference resolved to (an
/// <see cref="ImageRecord"/>), written to a staging file and renamed into place. Writes take the store's lock, which the
/// collector holds while it decides, so no record appears or changes under it.
/// </summary>
internal sealed partial class ImageRecords : IDisposable
{
    private const int MaxFileName = 200;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="directory">The records directory (created when missing).</param>
    /// <param name="logger">Unreadable records.</param>
    public ImageRecords(string directory, ILogger logger)
    {
        _directory = Directory.CreateDirectory(directory).FullName;
        _logger = logger;
    }

    /// <summary>The reference a record is kept under: <c>registry/repository@digest</c> when pinned, else <c>registry/repository:tag</c>.</summary>
    public static string KeyOf(ImageReference reference) =>
        reference.Digest is not null ? $"{reference.Registry}/{reference.Repository}@{reference.Digest}" : $"{reference.Registry}/{reference.Repository}:{reference.Tag ?? "latest"}";

    /// <summary>The record of <paramref name="key"/>; null when there is none or it cannot be read.</summary>
    public ImageRecord? Find(string key) => Load(PathOf(key));

    /// <summary>Writes the record of <paramref name="key"/> atomically.</summary>
    /// <exception cref="ImagePullException">The record could not be written.</exception>
    public async Task SaveAsync(string key, ImageRecord record, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temporary = Staging.PathFor(path);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(record, Json), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e)
        {
            Staging.DeleteQuietly(temporary);
            throw new ImagePullException($"failed to record image {key}: {e.Message}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Holds the store's lock until the result is disposed: no record is written meanwhile.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(_gate);
    }

    /// <summary>Every readable record with the file it lives in. Call under <see cref="LockAsync"/>.</summary>
    public List<(string Path, ImageRecord Record)> LoadAll() =>
        [.. Directory.EnumerateFiles(_directory, "*.json")
            .Select(path => (Path: path, Record: Load(path)))
            .Where(r => r.Record is not null)
            .Select(r => (r.Path, r.Record!))];

    /// <summary>Deletes a record file found by <see cref="LoadAll"/>. Call under <see cref="LockAsync"/>.</summary>
    public static void Delete(string path) => File.Delete(path);

    /// <summary>Deletes staging files of writes that never finished (left by a crash). Call under <see cref="LockAsync"/>.</summary>
    public void RemoveLeftovers()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, Staging.Pattern))
        {
            Staging.DeleteQuietly(path);
        }
    }

    public void Dispose() => _gate.Dispose();

    private ImageRecord? Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ImageRecord>(File.ReadAllBytes(path), Json);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            LogRecordUnreadable(_logger, path, e.Message);
            return null;
        }
    }

    /// <summary><c>images/&lt;escaped key&gt;.json</c>; very long keys are shortened and made unique with a hash.</summary>
    private string PathOf(string key)
    {
        var name = Uri.EscapeDataString(key);
        if (name.Length > MaxFileName)
        {
            name = $"{name[..(MaxFileName - 65)]}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";
        }
        return Path.Combine(_directory, name + ".json");
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring unreadable image record {Path}: {Reason}")]
    private static partial void LogRecordUnreadable(ILogger logger, string path, string reason);
}
