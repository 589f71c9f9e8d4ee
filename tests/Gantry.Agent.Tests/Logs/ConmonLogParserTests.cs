using System.Text;
using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

public sealed class ConmonLogParserTests
{
    private static (long TimestampMs, ConmonPipe Pipe, bool IsPartial, string Content)? Parse(string line)
    {
        if (!ConmonLogParser.TryParseLine(Encoding.UTF8.GetBytes(line), out var timestampMs, out var pipe, out var isPartial, out var content))
        {
            return null;
        }
        return (timestampMs, pipe, isPartial, Encoding.UTF8.GetString(content));
    }

    [Fact]
    public void Parses_a_full_stdout_record() =>
        Assert.Equal((K8sFile.TimeMs, ConmonPipe.Stdout, false, "hello world"), Parse("2026-11-26T08:49:07.123456789+00:00 stdout F hello world"));

    [Fact]
    public void Parses_a_partial_stderr_record() =>
        Assert.Equal((K8sFile.TimeMs, ConmonPipe.Stderr, true, "part"), Parse("2026-11-26T08:49:07.123456789+00:00 stderr P part"));

    [Fact]
    public void Keeps_spaces_inside_and_at_the_end_of_the_content() =>
        Assert.Equal("  a  b ", Parse("2026-11-26T08:49:07.123456789+00:00 stdout F   a  b ")!.Value.Content);

    [Theory]
    [InlineData("2026-11-26T08:49:07.123456789+00:00 stdout F ")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00 stdout F")]
    public void An_empty_line_has_empty_content(string line) => Assert.Equal("", Parse(line)!.Value.Content);

    [Theory]
    [InlineData("2026-11-26T10:49:07.123456789+02:00", 1_795_682_947_123)]
    [InlineData("2026-11-26T03:19:07.123456789-05:30", 1_795_682_947_123)]
    [InlineData("2026-11-26T08:49:07.123Z", 1_795_682_947_123)]
    [InlineData("2026-11-26T08:49:07.1239+00:00", 1_795_682_947_123)]
    [InlineData("2026-11-26T08:49:07.5+00:00", 1_795_682_947_500)]
    [InlineData("2026-11-26T08:49:07+00:00", 1_795_682_947_000)]
    [InlineData("1970-01-01T00:00:00.000000000+00:00", 0)]
    [InlineData("1969-12-31T23:59:59.000000000+00:00", -1000)]
    [InlineData("2024-02-29T00:00:00.000000000+00:00", 1_709_164_800_000)]
    public void Timestamps_become_Unix_milliseconds_with_the_offset_applied(string timestamp, long expected)
    {
        Assert.True(ConmonLogParser.TryParseTimestamp(Encoding.ASCII.GetBytes(timestamp), out var unixMs));
        Assert.Equal(expected, unixMs);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00 stdin F x")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00 stdout X x")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00 stdout Fx")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00 stdout ")]
    [InlineData("2026-11-26 08:49:07.123456789+00:00 stdout F x")]
    [InlineData("2026-02-30T08:49:07.123456789+00:00 stdout F x")]
    [InlineData("2026-11-26T24:49:07.123456789+00:00 stdout F x")]
    [InlineData("2026-11-26T08:49:07.1234567890+00:00 stdout F x")]
    [InlineData("2026-11-26T08:49:07.+00:00 stdout F x")]
    [InlineData("2026-11-26T08:49:07.123456789 stdout F x")]
    [InlineData("2026-11-26T08:49:07.123456789+0000 stdout F x")]
    [InlineData("2026-11-26T08:49:07.123456789+00:00x stdout F x")]
    [InlineData("\u00ff\u00fe garbage stdout F x")]
    public void Refuses_lines_that_are_not_k8s_file_records(string line) => Assert.Null(Parse(line));
}
