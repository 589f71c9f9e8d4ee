using System.Buffers;
using System.Text;

namespace Gantry.Agent.Logs;

/// <summary>
/// Reads the records of a growing k8s-file log from a byte offset, in chunks into one reused buffer. Only complete
/// lines are returned: a last line without its <c>\n</c> (conmon may still be writing it) waits for the next read.
/// Lines that are not k8s-file records are skipped (and counted) and lines longer than <c>maxLineBytes</c> are skipped
/// whole; <see cref="Offset"/> always stays on a line boundary. The only allocation per record is its content string.
/// </summary>
public sealed class ConmonLogReader : IDisposable
{
    public const int DefaultChunkSize = 64 * 1024;

    /// <summary>conmon splits lines at 8 KiB (STDIO_BUF_SIZE), so a longer line is not conmon's.</summary>
    public const int DefaultMaxLineBytes = 1024 * 1024;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxLineBytes;

    // A P record can end inside a multi-byte character; each stream keeps its decoder until its F record.
    private readonly Decoder[] _decoders = [Utf8.GetDecoder(), Utf8.GetDecoder()];
    private readonly bool[] _continuing = new bool[2];

    private byte[] _buffer;
    private long _bufferOffset; // file offset of _buffer[0]
    private int _start;         // first unparsed byte
    private int _end;           // one past the last byte read
    private bool _skippingLongLine;

    /// <summary>Reads <paramref name="stream"/> from <paramref name="startOffset"/> (seeking there when it can seek).</summary>
    public ConmonLogReader(Stream stream, long startOffset, bool leaveOpen = false, int chunkSize = DefaultChunkSize, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, chunkSize);
        if (stream.CanSeek)
        {
            stream.Seek(startOffset, SeekOrigin.Begin);
        }
        _stream = stream;
        _leaveOpen = leaveOpen;
        _maxLineBytes = maxLineBytes;
        _buffer = new byte[chunkSize];
        _bufferOffset = startOffset;
        Offset = startOffset;
    }

    /// <summary>The byte offset after the last complete line read (record or skipped): where a new reader would resume.</summary>
    public long Offset { get; private set; }

    /// <summary>Lines skipped because they were not k8s-file records or were too long.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>Opens <paramref name="path"/> for reading while conmon keeps writing it.</summary>
    public static ConmonLogReader Open(string path, long startOffset, int chunkSize = DefaultChunkSize, int maxLineBytes = DefaultMaxLineBytes)
    {
        // bufferSize 1: no FileStream buffer under ours.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        return new ConmonLogReader(stream, startOffset, leaveOpen: false, chunkSize, maxLineBytes);
    }

    /// <summary>
    /// Appends up to <paramref name="maxRecords"/> complete records to <paramref name="records"/>, reading as much as is
    /// there now; returns how many were added (0: nothing complete yet).
    /// </summary>
    public int Read(List<ConmonLogRecord> records, int maxRecords = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(records);
        var added = ParseBuffered(records, maxRecords);
        while (added < maxRecords && MakeRoom())
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                break;
            }
            _end += read;
            added += ParseBuffered(records, maxRecords - added);
        }
        return added;
    }

    /// <inheritdoc cref="Read"/>
    public async ValueTask<int> ReadAsync(List<ConmonLogRecord> records, int maxRecords = int.MaxValue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var added = ParseBuffered(records, maxRecords);
        while (added < maxRecords && MakeRoom())
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            _end += read;
            added += ParseBuffered(records, maxRecords - added);
        }
        return added;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private int ParseBuffered(List<ConmonLogRecord> records, int maxRecords)
    {
        var added = 0;
        while (added < maxRecords)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }
            var line = pending[..newline];
            _start += newline + 1;
            Offset = _bufferOffset + _start;
            if (_skippingLongLine)
            {
                _skippingLongLine = false;
                SkippedLines++;
            }
            else if (ConmonLogParser.TryParseLine(line, out var timestampMs, out var pipe, out var isPartial, out var content))
            {
                records.Add(new ConmonLogRecord(timestampMs, pipe, isPartial, Decode(pipe, isPartial, content), Offset));
                added++;
            }
            else
            {
                SkippedLines++;
            }
        }
        return added;
    }

    private string Decode(ConmonPipe pipe, bool isPartial, ReadOnlySpan<byte> content)
    {
        var index = (int)pipe;
        if (!_continuing[index] && !isPartial)
        {
            return Utf8.GetString(content);
        }
        _continuing[index] = isPartial;
        var decoder = _decoders[index];
        var flush = !isPartial;
        var length = decoder.GetCharCount(content, flush);
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = decoder.GetChars(content, chars, flush);
            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Moves the unparsed tail to the front, growing the buffer for a long line or dropping one too long; false when full.</summary>
    private bool MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end < _buffer.Length)
        {
            return true;
        }
        // The buffer holds one incomplete line and nothing else.
        if (_buffer.Length < _maxLineBytes)
        {
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxLineBytes));
            return true;
        }
        _skippingLongLine = true;
        _bufferOffset += _end;
        _end = 0;
        return true;
    }
}
