using System.Text;
using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

public sealed class ConmonLogReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gantry-logs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_every_complete_record_with_its_end_offset()
    {
        var lines = new[] { K8sFile.Line("one"), K8sFile.Line("two", "stderr"), K8sFile.Line("", tag: 'F') };

        var records = K8sFile.ReadAll(K8sFile.Bytes(lines));

        Assert.Equal(["one", "two", ""], records.Select(r => r.Content));
        Assert.Equal([ConmonPipe.Stdout, ConmonPipe.Stderr, ConmonPipe.Stdout], records.Select(r => r.Pipe));
        Assert.Equal(EndOffsets(lines), records.Select(r => r.EndOffset));
        Assert.All(records, r => Assert.Equal(K8sFile.TimeMs, r.TimestampMs));
    }

    [Fact]
    public void An_unterminated_last_line_is_left_for_later_and_the_offset_stays_before_it()
    {
        var complete = K8sFile.Line("done");
        var content = K8sFile.Bytes(complete, "2026-11-26T08:49:07.123456789+00:00 stdout F still writ");
        using var reader = new ConmonLogReader(new MemoryStream(content), 0);
        var records = new List<ConmonLogRecord>();

        reader.Read(records);

        Assert.Equal(["done"], records.Select(r => r.Content));
        Assert.Equal(Encoding.UTF8.GetByteCount(complete), reader.Offset);
    }

    [Fact]
    public void A_line_finished_after_a_read_is_returned_by_the_next_read()
    {
        var path = Path.Combine(_directory, "task-web.log");
        using var writer = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        Write(writer, K8sFile.Line("first") + "2026-11-26T08:49:07.123456789+00:00 stdout F sec");
        using var reader = ConmonLogReader.Open(path, 0);
        var records = new List<ConmonLogRecord>();

        Assert.Equal(1, reader.Read(records));
        Assert.Equal(0, reader.Read(records));
        Write(writer, "ond\n");
        Assert.Equal(1, reader.Read(records));

        Assert.Equal(["first", "second"], records.Select(r => r.Content));
        Assert.Equal(new FileInfo(path).Length, records[^1].EndOffset);
        Assert.Equal(records[^1].EndOffset, reader.Offset);
    }

    [Fact]
    public void Starting_from_a_mid_file_offset_reads_the_records_after_it()
    {
        var lines = new[] { K8sFile.Line("one"), K8sFile.Line("two"), K8sFile.Line("three") };
        var secondStart = EndOffsets(lines)[0];

        var records = K8sFile.ReadAll(K8sFile.Bytes(lines), startOffset: secondStart);

        Assert.Equal(["two", "three"], records.Select(r => r.Content));
        Assert.Equal(EndOffsets(lines)[1..], records.Select(r => r.EndOffset));
    }

    [Fact]
    public void Restarting_a_file_reader_at_its_offset_continues_exactly_where_it_stopped()
    {
        var path = Path.Combine(_directory, "restart.log");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 100).Select(i => K8sFile.Line($"line {i}"))));
        var firstRun = new List<ConmonLogRecord>();
        long resumeAt;
        using (var reader = ConmonLogReader.Open(path, 0))
        {
            reader.Read(firstRun, maxRecords: 37);
            resumeAt = reader.Offset;
        }

        var secondRun = new List<ConmonLogRecord>();
        using (var reader = ConmonLogReader.Open(path, resumeAt))
        {
            reader.Read(secondRun);
        }

        Assert.Equal(firstRun[^1].EndOffset, resumeAt);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"line {i}"), firstRun.Concat(secondRun).Select(r => r.Content));
    }

    [Fact]
    public void Garbage_lines_are_skipped_and_counted_without_shifting_offsets()
    {
        var lines = new[] { "garbage\n", K8sFile.Line("one"), "\n", "2026-13-01T00:00:00.0+00:00 stdout F bad month\n", K8sFile.Line("two"), "tail garbage\n" };
        using var reader = new ConmonLogReader(new MemoryStream(K8sFile.Bytes(lines)), 0);
        var records = new List<ConmonLogRecord>();

        reader.Read(records);

        Assert.Equal(["one", "two"], records.Select(r => r.Content));
        Assert.Equal([EndOffsets(lines)[1], EndOffsets(lines)[4]], records.Select(r => r.EndOffset));
        Assert.Equal(4, reader.SkippedLines);
        Assert.Equal(EndOffsets(lines)[^1], reader.Offset);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    public void Tiny_chunks_give_the_same_records_as_one_big_read(int chunkSize)
    {
        var lines = Enumerable.Range(0, 50).Select(i => K8sFile.Line(new string('x', i * 7), i % 2 == 0 ? "stdout" : "stderr", i % 3 == 0 ? 'P' : 'F')).ToArray();
        var content = K8sFile.Bytes(lines);

        Assert.Equal(K8sFile.ReadAll(content), K8sFile.ReadAll(content, chunkSize: chunkSize));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_skipped_whole()
    {
        var lines = new[] { K8sFile.Line("before"), K8sFile.Line(new string('x', 5000)), K8sFile.Line("after") };
        using var reader = new ConmonLogReader(new MemoryStream(K8sFile.Bytes(lines)), 0, chunkSize: 64, maxLineBytes: 1024);
        var records = new List<ConmonLogRecord>();

        reader.Read(records);

        Assert.Equal(["before", "after"], records.Select(r => r.Content));
        Assert.Equal(EndOffsets(lines)[2], records[1].EndOffset);
        Assert.Equal(1, reader.SkippedLines);
    }

    [Fact]
    public void A_character_split_between_partial_records_decodes_whole()
    {
        var euro = Encoding.UTF8.GetBytes("€"); // E2 82 AC, cut after its first byte by conmon's 8 KiB buffer
        var content = Concat(
            Encoding.UTF8.GetBytes($"{K8sFile.Time} stdout P price: "), euro[..1], "\n"u8.ToArray(),
            Encoding.UTF8.GetBytes(K8sFile.Line("interleaved", "stderr")),
            Encoding.UTF8.GetBytes($"{K8sFile.Time} stdout F "), euro[1..], " 5\n"u8.ToArray());

        var records = K8sFile.ReadAll(content);

        Assert.Equal(["price: ", "interleaved", "€ 5"], records.Select(r => r.Content));
        Assert.Equal("price: € 5", records[0].Content + records[2].Content);
    }

    [Fact]
    public void Invalid_UTF8_becomes_replacement_characters()
    {
        var content = Concat(Encoding.UTF8.GetBytes($"{K8sFile.Time} stdout F a"), [0xFF, 0xC3], "b\n"u8.ToArray());

        Assert.Equal("a\uFFFD\uFFFDb", K8sFile.ReadAll(content).Single().Content);
    }

    [Fact]
    public void At_most_the_requested_number_of_records_is_returned_and_the_rest_comes_next()
    {
        var lines = Enumerable.Range(0, 10).Select(i => K8sFile.Line(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        using var reader = new ConmonLogReader(new MemoryStream(K8sFile.Bytes(lines)), 0);
        var records = new List<ConmonLogRecord>();

        Assert.Equal(4, reader.Read(records, maxRecords: 4));
        Assert.Equal(EndOffsets(lines)[3], reader.Offset);
        Assert.Equal(6, reader.Read(records));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), records.Select(r => r.Content));
    }

    [Fact]
    public async Task Reading_asynchronously_gives_the_same_records()
    {
        var content = K8sFile.Bytes(K8sFile.Line("a"), K8sFile.Line("b", tag: 'P'), K8sFile.Line("c"));
        using var reader = new ConmonLogReader(new MemoryStream(content), 0, chunkSize: 16);
        var records = new List<ConmonLogRecord>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await reader.ReadAsync(records, ct: timeout.Token);

        Assert.Equal(K8sFile.ReadAll(content), records);
    }

    private static long[] EndOffsets(string[] lines)
    {
        var offsets = new long[lines.Length];
        long offset = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            offset += Encoding.UTF8.GetByteCount(lines[i]);
            offsets[i] = offset;
        }
        return offsets;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static void Write(FileStream writer, string text)
    {
        writer.Write(Encoding.UTF8.GetBytes(text));
        writer.Flush();
    }
}
