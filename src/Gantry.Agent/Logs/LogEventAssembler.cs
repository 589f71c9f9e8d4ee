using System.Text;
using System.Text.RegularExpressions;

namespace Gantry.Agent.Logs;

/// <summary>
/// Turns k8s-file records into CloudWatch Logs events the way Docker's awslogs driver does:
/// <list type="bullet">
/// <item>P records are joined up to their F record, per stream (stdout and stderr are continued separately).</item>
/// <item>Without a start pattern every line is one event, its message the line, its time the line's; empty lines make no event.</item>
/// <item>With one (awslogs-multiline-pattern or -datetime-format), a line the pattern matches anywhere starts a new event and
/// every line is added with a <c>\n</c> after it (moby appends it to each line, the last too); the event keeps its first
/// line's time. An event that would grow past the size limit is sent as it is and the line starts the next one, which
/// keeps that time. The pending event goes out when the next one starts or on <see cref="Flush"/>.</item>
/// <item>A message over <see cref="CloudWatchLimits.MaxEventBytes"/> UTF-8 bytes is cut into several events on character
/// boundaries, as moby's processEvent does; so is a line still being continued once it has grown past it.</item>
/// </list>
/// Events come out in file order with non-decreasing <see cref="AssembledLogEvent.SourceOffset"/>; <see cref="SafeOffset"/>
/// says up to where everything read has gone into events.
/// </summary>
public sealed class LogEventAssembler
{
    private readonly Regex? _startPattern;
    private readonly int _maxEventBytes;
    private readonly PendingLine[] _lines = [new(), new()];

    // The multiline event being gathered.
    private readonly StringBuilder _event = new();
    private bool _eventActive;
    private long _eventStart;
    private long _eventTimestamp;
    private int _eventBytes;

    private long _consumed;

    /// <param name="startPattern">The multiline start pattern (<see cref="AwslogsOptions.CreateStartPattern"/>), or null for one event per line.</param>
    /// <param name="startOffset">The file offset reading starts from.</param>
    /// <param name="maxEventBytes">The largest message in UTF-8 bytes.</param>
    public LogEventAssembler(Regex? startPattern = null, long startOffset = 0, int maxEventBytes = CloudWatchLimits.MaxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 16);
        _startPattern = startPattern;
        _maxEventBytes = maxEventBytes;
        _consumed = startOffset;
    }

    /// <summary>
    /// The file offset before which every record has gone into emitted events (or made none): where to resume after a
    /// restart once the emitted events are stored. It stays at the start of a line or event still pending.
    /// </summary>
    public long SafeOffset
    {
        get
        {
            var safe = _consumed;
            foreach (var line in _lines)
            {
                if (line.Active)
                {
                    safe = Math.Min(safe, line.Start);
                }
            }
            return _eventActive ? Math.Min(safe, _eventStart) : safe;
        }
    }

    /// <summary>Whether a line or multiline event is waiting for more input (or <see cref="Flush"/>).</summary>
    public bool HasPending => _eventActive || _lines[0].Active || _lines[1].Active;

    /// <summary>Takes the next record (in file order); appends the events it completes to <paramref name="output"/>.</summary>
    public void Add(ConmonLogRecord record, ICollection<AssembledLogEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var recordStart = _consumed;
        _consumed = Math.Max(_consumed, record.EndOffset);
        var line = _lines[(int)record.Pipe];
        if (!line.Active && !record.IsPartial)
        {
            HandleLine(record.Content, record.TimestampMs, recordStart, output);
            return;
        }
        if (!line.Active)
        {
            line.Begin(record.TimestampMs, recordStart);
        }
        line.Append(record.Content);
        // Bounds memory for a line that never ends; cutting as it grows gives the same pieces as cutting the whole line.
        while (line.Bytes > _maxEventBytes)
        {
            HandleLine(line.TakePiece(_maxEventBytes), line.TimestampMs, line.Start, output);
        }
        if (!record.IsPartial)
        {
            var (timestampMs, start) = (line.TimestampMs, line.Start);
            HandleLine(line.TakeAll(), timestampMs, start, output);
        }
    }

    /// <summary>
    /// Says the file has been read up to <paramref name="offset"/> with no further records (e.g. the reader skipped
    /// malformed lines), so <see cref="SafeOffset"/> may move past them when nothing is pending.
    /// </summary>
    public void MarkConsumed(long offset) => _consumed = Math.Max(_consumed, offset);

    /// <summary>
    /// Emits whatever is pending: unfinished lines (as they are) and the multiline event. The shipper calls it when the
    /// file has been idle for a while and when the container has exited.
    /// </summary>
    public void Flush(ICollection<AssembledLogEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in _lines.Where(l => l.Active).OrderBy(l => l.Start).ToList())
        {
            var (timestampMs, start) = (line.TimestampMs, line.Start);
            HandleLine(line.TakeAll(), timestampMs, start, output);
        }
        if (_eventActive)
        {
            var message = _event.ToString();
            _event.Clear();
            _eventActive = false;
            Emit(message, _eventTimestamp, _eventStart, output);
        }
    }

    private void HandleLine(string text, long timestampMs, long start, ICollection<AssembledLogEvent> output)
    {
        if (_startPattern is null)
        {
            Emit(text, timestampMs, start, output);
            return;
        }

        var startsEvent = _startPattern.IsMatch(text);
        var bytes = Encoding.UTF8.GetByteCount(text);
        // moby leaves the newline off a line that fills an event by itself.
        var newline = bytes < _maxEventBytes;
        var addedBytes = bytes + (newline ? 1 : 0);
        if (_eventActive && (startsEvent || _eventBytes + addedBytes > _maxEventBytes))
        {
            var (message, messageTimestamp, messageStart) = (_event.ToString(), _eventTimestamp, _eventStart);
            _event.Clear();
            _eventBytes = 0;
            _eventStart = start;
            _eventTimestamp = startsEvent ? timestampMs : messageTimestamp;
            AppendToEvent(text, newline, addedBytes);
            Emit(message, messageTimestamp, messageStart, output);
            return;
        }
        if (!_eventActive)
        {
            _eventActive = true;
            _eventStart = start;
            _eventTimestamp = timestampMs;
            _eventBytes = 0;
        }
        // A stdout line begun before a stderr line already in the event (or the reverse) moves the event's start back.
        _eventStart = Math.Min(_eventStart, start);
        AppendToEvent(text, newline, addedBytes);
    }

    private void AppendToEvent(string text, bool newline, int addedBytes)
    {
        _event.Append(text);
        if (newline)
        {
            _event.Append('\n');
        }
        _eventBytes += addedBytes;
    }

    /// <summary>
    /// Adds the event, cut to size. Every piece but the last resumes at <paramref name="start"/> (the event's beginning):
    /// resuming between two pieces repeats the first rather than losing the rest.
    /// </summary>
    private void Emit(string message, long timestampMs, long start, ICollection<AssembledLogEvent> output)
    {
        if (message.Length == 0)
        {
            return; // moby's processEvent makes nothing of an empty line
        }
        if ((long)message.Length * 3 <= _maxEventBytes || Encoding.UTF8.GetByteCount(message) <= _maxEventBytes)
        {
            output.Add(new AssembledLogEvent(timestampMs, message, SafeOffset));
            return;
        }
        var rest = message.AsSpan();
        while (true)
        {
            var cut = Utf8Split(rest, _maxEventBytes, out _);
            if (cut == rest.Length)
            {
                output.Add(new AssembledLogEvent(timestampMs, rest.ToString(), SafeOffset));
                return;
            }
            output.Add(new AssembledLogEvent(timestampMs, rest[..cut].ToString(), Math.Min(start, SafeOffset)));
            rest = rest[cut..];
        }
    }

    /// <summary>
    /// The longest prefix of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes that does not split
    /// a surrogate pair (moby's findValidSplit); <paramref name="bytes"/> is its size.
    /// </summary>
    private static int Utf8Split(ReadOnlySpan<char> text, int maxBytes, out int bytes)
    {
        bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var (width, chars) = c switch
            {
                < (char)0x80 => (1, 1),
                < (char)0x800 => (2, 1),
                _ when char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) => (4, 2),
                _ => (3, 1), // a lone surrogate is sent as U+FFFD
            };
            if (bytes + width > maxBytes)
            {
                break;
            }
            bytes += width;
            i += chars;
        }
        return i;
    }

    /// <summary>A line of one stream whose F record has not come yet.</summary>
    private sealed class PendingLine
    {
        private readonly StringBuilder _text = new();

        public bool Active { get; private set; }

        public long TimestampMs { get; private set; }

        /// <summary>The file offset where the line's first record begins.</summary>
        public long Start { get; private set; }

        public int Bytes { get; private set; }

        public void Begin(long timestampMs, long start)
        {
            Active = true;
            TimestampMs = timestampMs;
            Start = start;
            Bytes = 0;
        }

        public void Append(string text)
        {
            _text.Append(text);
            Bytes += Encoding.UTF8.GetByteCount(text);
        }

        public string TakePiece(int maxBytes)
        {
            var all = _text.ToString();
            var cut = Utf8Split(all, maxBytes, out var pieceBytes);
            _text.Clear().Append(all, cut, all.Length - cut);
            Bytes -= pieceBytes;
            return all[..cut];
        }

        public string TakeAll()
        {
            var all = _text.ToString();
            _text.Clear();
            Active = false;
            Bytes = 0;
            return all;
        }
    }
}
