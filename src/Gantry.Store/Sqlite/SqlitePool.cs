using System.Collections.Concurrent;

namespace Gantry.Store.Sqlite;

/// <summary>
/// The connections of one embedded SQLite database: a single writer used under a lock (SQLite has one writer
/// anyway, so commits queue here instead of on busy retries) and a pool of readers that run concurrently with it
/// in WAL mode. A reader that failed is dropped, except after an <see cref="ArgumentException"/> (a bad argument
/// leaves the connection as it was).
/// </summary>
public sealed class SqlitePool<TWriter, TReader>(TWriter writer, Func<TReader> newReader) : IAsyncDisposable
    where TWriter : IDisposable
    where TReader : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<TReader> _readers = [];
    private bool _disposed;

    /// <summary>Runs <paramref name="write"/> with the writer, alone.</summary>
    public async Task<T> WriteAsync<T>(Func<TWriter, T> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return write(writer);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="read"/> with a pooled reader (a new one when all are busy).</summary>
    public T Read<T>(Func<TReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var reader))
        {
            reader = newReader();
        }
        try
        {
            var result = read(reader);
            _readers.Add(reader);
            return result;
        }
        catch (ArgumentException)
        {
            _readers.Add(reader);
            throw;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            while (_readers.TryTake(out var reader))
            {
                reader.Dispose();
            }
            writer.Dispose();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
