using System.Text;
using System.Text.RegularExpressions;
using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

public sealed class LogEventAssemblerTests
{
    private const int Max = CloudWatchLimits.MaxEventBytes;

    private static List<AssembledLogEvent> Assemble(LogEventAssembler assembler, IEnumerable<ConmonLogRecord> records, bool flush = false)
    {
        var events = new List<AssembledLogEvent>();
        foreach (var record in records)
        {
            assembler.Add(record, events);
        }
        if (flush)
        {
            assembler.Flush(events);
        }
        return events;
    }

    private static Regex? Pattern(string key, string value) =>
        AwslogsOptions.Parse(new Dictionary<string, string> { ["awslogs-group"] = "g", [key] = value }).CreateStartPattern();

    private static LogEventAssembler Multiline(string pattern) => new(Pattern("awslogs-multiline-pattern", pattern));

    private static LogEventAssembler WithDatetimeFormat(string format) => new(Pattern("awslogs-datetime-format", format));

    [Fact]
    public void Without_a_pattern_each_full_line_is_one_event_with_its_own_time_and_end_offset()
    {
        var events = Assemble(new LogEventAssembler(), [K8sFile.Record("one", 50, timestampMs: 1000), K8sFile.Record("two", 100, pipe: ConmonPipe.Stderr, timestampMs: 2000)]);

        Assert.Equal([new AssembledLogEvent(1000, "one", 50), new AssembledLogEvent(2000, "two", 100)], events);
    }

    [Fact]
    public void Empty_lines_make_no_event_as_in_moby_but_are_consumed()
    {
        var assembler = new LogEventAssembler();

        var events = Assemble(assembler, [K8sFile.Record("a", 10), K8sFile.Record("", 20), K8sFile.Record("", 30)]);

        Assert.Equal(["a"], events.Select(e => e.Message));
        Assert.Equal(30, assembler.SafeOffset);
        Assert.False(assembler.HasPending);
    }

    [Fact]
    public void Partial_records_are_joined_up_to_the_full_one_keeping_the_first_time()
    {
        var assembler = new LogEventAssembler(startOffset: 100);

        var events = Assemble(assembler, [
            K8sFile.Record("hel", 150, partial: true, timestampMs: 1),
            K8sFile.Record("lo ", 200, partial: true, timestampMs: 2),
            K8sFile.Record("world", 250, timestampMs: 3)]);

        Assert.Equal([new AssembledLogEvent(1, "hello world", 250)], events);
    }

    [Fact]
    public void While_a_line_is_partial_the_safe_offset_stays_before_it()
    {
        var assembler = new LogEventAssembler(startOffset: 100);
        var events = Assemble(assembler, [K8sFile.Record("done", 120), K8sFile.Record("hal", 150, partial: true)]);

        Assert.Equal(120, assembler.SafeOffset);
        Assert.True(assembler.HasPending);
        Assert.Single(events);
    }

    [Fact]
    public void Stdout_and_stderr_continue_their_own_partial_lines()
    {
        var assembler = new LogEventAssembler();

        var events = Assemble(assembler, [
            K8sFile.Record("out-", 10, partial: true),
            K8sFile.Record("err line", 20, pipe: ConmonPipe.Stderr),
            K8sFile.Record("line", 30)]);

        // The stderr event cannot claim offset 20: resuming there would lose the start of the stdout line.
        Assert.Equal([new AssembledLogEvent(K8sFile.TimeMs, "err line", 0), new AssembledLogEvent(K8sFile.TimeMs, "out-line", 30)], events);
    }

    [Fact]
    public void Flush_sends_an_unfinished_line_as_it_is()
    {
        var assembler = new LogEventAssembler();
        var events = Assemble(assembler, [K8sFile.Record("Password: ", 40, partial: true)], flush: true);

        Assert.Equal([new AssembledLogEvent(K8sFile.TimeMs, "Password: ", 40)], events);
        Assert.False(assembler.HasPending);
        Assert.Equal(40, assembler.SafeOffset);
    }

    [Fact]
    public void A_multiline_pattern_gathers_lines_until_the_next_start_line()
    {
        var assembler = Multiline("^INFO|^ERROR");

        var events = Assemble(assembler, [
            K8sFile.Record("INFO start", 10, timestampMs: 1),
            K8sFile.Record("ERROR boom", 20, timestampMs: 2),
            K8sFile.Record("  at A()", 30, timestampMs: 3),
            K8sFile.Record("  at B()", 40, timestampMs: 4),
            K8sFile.Record("INFO next", 50, timestampMs: 5)]);

        // moby appends "\n" to every line of a multiline event, the last one too.
        Assert.Equal([new AssembledLogEvent(1, "INFO start\n", 10), new AssembledLogEvent(2, "ERROR boom\n  at A()\n  at B()\n", 40)], events);
        Assert.Equal(40, assembler.SafeOffset);
        Assert.True(assembler.HasPending);
    }

    [Fact]
    public void Flush_emits_the_pending_multiline_event()
    {
        var assembler = Multiline("^INFO");
        var events = Assemble(assembler, [K8sFile.Record("INFO a", 10), K8sFile.Record("b", 20)], flush: true);

        Assert.Equal([new AssembledLogEvent(K8sFile.TimeMs, "INFO a\nb\n", 20)], events);
        Assert.Equal(20, assembler.SafeOffset);
    }

    [Fact]
    public void Lines_before_the_first_start_line_form_their_own_event()
    {
        var events = Assemble(Multiline("^INFO"), [K8sFile.Record("preamble", 10), K8sFile.Record("more", 20), K8sFile.Record("INFO a", 30)]);

        Assert.Equal(["preamble\nmore\n"], events.Select(e => e.Message));
    }

    [Fact]
    public void In_a_multiline_event_an_empty_line_is_kept()
    {
        var events = Assemble(Multiline("^INFO"), [K8sFile.Record("INFO a", 10), K8sFile.Record("", 20), K8sFile.Record("b", 30)], flush: true);

        Assert.Equal(["INFO a\n\nb\n"], events.Select(e => e.Message));
    }

    [Fact]
    public void A_datetime_format_starts_events_at_lines_carrying_the_date()
    {
        var events = Assemble(WithDatetimeFormat(@"\[%b %d, %Y %H:%M:%S\]"), [
            K8sFile.Record("[May 01, 2017 19:00:01] A message was logged", 10, timestampMs: 1),
            K8sFile.Record("[May 01, 2017 19:00:04] Another multi-line message was logged", 20, timestampMs: 2),
            K8sFile.Record("Some random message", 30, timestampMs: 3),
            K8sFile.Record("with some random words", 40, timestampMs: 4),
            K8sFile.Record("[May 01, 2017 19:01:32] Another message was logged", 50, timestampMs: 5)], flush: true);

        Assert.Equal([
            new AssembledLogEvent(1, "[May 01, 2017 19:00:01] A message was logged\n", 10),
            new AssembledLogEvent(2, "[May 01, 2017 19:00:04] Another multi-line message was logged\nSome random message\nwith some random words\n", 40),
            new AssembledLogEvent(5, "[May 01, 2017 19:01:32] Another message was logged\n", 50)], events);
    }

    [Fact]
    public void A_partial_line_is_matched_against_the_pattern_once_complete()
    {
        var events = Assemble(Multiline("^INFO"), [
            K8sFile.Record("INFO a", 10),
            K8sFile.Record("IN", 20, partial: true),
            K8sFile.Record("FO b", 30)], flush: true);

        Assert.Equal(["INFO a\n", "INFO b\n"], events.Select(e => e.Message));
    }

    [Fact]
    public void A_multiline_event_that_would_outgrow_the_limit_goes_out_and_the_line_starts_the_next_one()
    {
        var assembler = new LogEventAssembler(Pattern("awslogs-datetime-format", "^%Y"), maxEventBytes: 32);

        var events = Assemble(assembler, [
            K8sFile.Record("2026 start", 10, timestampMs: 1),       // 11 bytes with its newline
            K8sFile.Record("abcdefghij", 20, timestampMs: 2),       // 22
            K8sFile.Record("klmnopqrst", 30, timestampMs: 3)], flush: true); // 33 > 32: cut before it

        Assert.Equal([new AssembledLogEvent(1, "2026 start\nabcdefghij\n", 20), new AssembledLogEvent(1, "klmnopqrst\n", 30)], events);
        Assert.All(events, e => Assert.True(Encoding.UTF8.GetByteCount(e.Message) <= 32));
    }

    [Fact]
    public void A_600_KB_line_is_split_into_events_at_the_CloudWatch_limit()
    {
        var line = string.Concat(Enumerable.Range(0, 600_000).Select(i => (char)('a' + i % 26)));
        var records = Chunk(line, 8192, startOffset: 1000, out var endOffset);
        var assembler = new LogEventAssembler(startOffset: 1000);

        var events = Assemble(assembler, records);

        Assert.Equal([Max, Max, 600_000 - 2 * Max], events.Select(e => e.Message.Length));
        Assert.Equal(line, string.Concat(events.Select(e => e.Message)));
        Assert.All(events, e => Assert.Equal(K8sFile.TimeMs, e.TimestampMs));
        // Only the last piece may claim the line: resuming after a piece repeats the line rather than losing its rest.
        Assert.Equal([1000, 1000, endOffset], events.Select(e => e.SourceOffset));
    }

    [Fact]
    public void Splitting_keeps_characters_whole_and_counts_UTF8_bytes()
    {
        // 4-byte emoji (a surrogate pair) and 3-byte CJK: no cut may land inside either.
        var line = string.Concat(Enumerable.Repeat("😀中a", 70_000));
        var assembler = new LogEventAssembler();

        var events = Assemble(assembler, [K8sFile.Record(line, 10)]);

        Assert.True(events.Count > 1);
        Assert.Equal(line, string.Concat(events.Select(e => e.Message)));
        Assert.All(events, e =>
        {
            Assert.True(Encoding.UTF8.GetByteCount(e.Message) <= Max);
            Assert.False(char.IsHighSurrogate(e.Message[^1]));
            Assert.False(char.IsLowSurrogate(e.Message[0]));
        });
    }

    [Fact]
    public void A_line_that_never_ends_is_sent_in_pieces_as_it_grows()
    {
        var assembler = new LogEventAssembler(maxEventBytes: 100);

        var events = Assemble(assembler, Enumerable.Range(1, 30).Select(i => K8sFile.Record(new string('x', 10), i * 10, partial: true)));

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(100, e.Message.Length));
        Assert.All(events, e => Assert.Equal(0, e.SourceOffset));
        Assert.Equal(0, assembler.SafeOffset);
    }

    [Fact]
    public void Mark_consumed_moves_the_safe_offset_past_skipped_lines_only_when_nothing_is_pending()
    {
        var assembler = new LogEventAssembler();
        Assemble(assembler, [K8sFile.Record("a", 10)]);

        assembler.MarkConsumed(25);
        Assert.Equal(25, assembler.SafeOffset);

        Assemble(assembler, [K8sFile.Record("b", 40, partial: true)]);
        assembler.MarkConsumed(60);
        Assert.Equal(25, assembler.SafeOffset);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("^INFO")]
    public void Resuming_from_any_events_source_offset_loses_no_line(string? pattern)
    {
        // A file mixing everything: partial lines on both pipes, multiline runs, empty lines, garbage.
        var lines = new List<string>();
        var expected = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var text = (i % 5 == 0 ? "INFO " : "  at ") + i;
            if (i % 7 == 0)
            {
                lines.Add(K8sFile.Line(text[..3], "stdout", 'P'));
                lines.Add(K8sFile.Line($"stderr {i}", "stderr"));
                expected.Add($"stderr {i}");
                lines.Add(K8sFile.Line(text[3..]));
            }
            else
            {
                lines.Add(K8sFile.Line(text));
            }
            expected.Add(text);
            if (i % 11 == 0)
            {
                lines.Add("garbage\n");
            }
        }
        var content = K8sFile.Bytes([.. lines]);
        var startPattern = pattern is null ? null : Pattern("awslogs-multiline-pattern", pattern);
        var all = Run(0);

        foreach (var resumeAt in all.Select(e => e.SourceOffset).Distinct())
        {
            var shipped = all.TakeWhile(e => e.SourceOffset <= resumeAt).ToList();
            var resumed = Run(resumeAt);
            var seen = LinesOf(shipped).Concat(LinesOf(resumed)).ToHashSet();
            Assert.All(expected, line => Assert.Contains(line, seen));
        }

        List<AssembledLogEvent> Run(long from) =>
            Assemble(new LogEventAssembler(startPattern, from), K8sFile.ReadAll(content, from), flush: true);

        static IEnumerable<string> LinesOf(IEnumerable<AssembledLogEvent> events) =>
            events.SelectMany(e => e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Source_offsets_never_decrease()
    {
        var records = new List<ConmonLogRecord>();
        long offset = 0;
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            offset += random.Next(40, 200);
            var text = random.Next(4) == 0 ? "INFO " + i : new string('x', random.Next(0, 50));
            records.Add(K8sFile.Record(text, offset, partial: random.Next(5) == 0, pipe: random.Next(2) == 0 ? ConmonPipe.Stdout : ConmonPipe.Stderr));
        }

        foreach (var assembler in new[] { new LogEventAssembler(maxEventBytes: 64), Multiline("^INFO") })
        {
            var events = Assemble(assembler, records, flush: true);
            Assert.Equal(events.Select(e => e.SourceOffset).Order(), events.Select(e => e.SourceOffset));
            Assert.Equal(offset, assembler.SafeOffset);
        }
    }

    private static List<ConmonLogRecord> Chunk(string line, int size, long startOffset, out long endOffset)
    {
        var records = new List<ConmonLogRecord>();
        var offset = startOffset;
        for (var i = 0; i < line.Length; i += size)
        {
            var part = line.Substring(i, Math.Min(size, line.Length - i));
            offset += part.Length + 48;
            records.Add(K8sFile.Record(part, offset, partial: i + size < line.Length));
        }
        endOffset = offset;
        return records;
    }
}
