using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

public sealed class DatetimeFormatTests
{
    // moby daemon/logger/awslogs/cloudwatchlogs_test.go, TestParseLogOptionsDatetimeFormat.
    [Theory]
    [InlineData("%d/%m/%y %a %H:%M:%S%L %Z", "31/12/10 Mon 08:42:44.345 NZDT")]
    [InlineData("%Y-%m-%d %A %I:%M:%S.%f%p%z", "2007-12-04 Monday 08:42:44.123456AM+1200")]
    [InlineData("%b|%b|%b|%b|%b|%b|%b|%b|%b|%b|%b|%b", "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")]
    [InlineData("%B|%B|%B|%B|%B|%B|%B|%B|%B|%B|%B|%B", "January|February|March|April|May|June|July|August|September|October|November|December")]
    [InlineData("%A|%A|%A|%A|%A|%A|%A", "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")]
    [InlineData("%a|%a|%a|%a|%a|%a|%a", "Mon|Tue|Wed|Thu|Fri|Sat|Sun")]
    [InlineData("Day of the week: %w, Day of the year: %j", "Day of the week: 4, Day of the year: 091")]
    // The ECS and Docker documentation's example.
    [InlineData(@"\[%b %d, %Y %H:%M:%S\]", "[May 01, 2017 19:00:01] A message was logged")]
    public void Matches_the_moby_examples(string format, string line) =>
        Assert.Matches(DatetimeFormat.ToRegex(format), line);

    [Theory]
    [InlineData("%Y-%m-%d", "2017-13-01")]
    [InlineData("%Y-%m-%d", "2017-12-32")]
    [InlineData("%H:%M:%S", "24:00:00")]
    [InlineData("%j", "367")]
    [InlineData("%p", "XM")]
    public void Does_not_match_out_of_range_fields(string format, string text) =>
        Assert.DoesNotMatch(DatetimeFormat.ToRegex(format), text);

    [Fact]
    public void Each_sequence_becomes_its_moby_table_entry() =>
        Assert.Equal("[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[1,2][0-9]|3[0,1]) (?:[0,1][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]",
            DatetimeFormat.ToPattern("%Y-%m-%d %H:%M:%S"));

    [Theory]
    [InlineData("%c")]
    [InlineData("%U")]
    [InlineData("%%")]
    [InlineData("%e")]
    public void Sequences_moby_lacks_become_nothing(string format) =>
        Assert.Equal("", DatetimeFormat.ToPattern(format));

    [Fact]
    public void A_trailing_percent_sign_stays() => Assert.Equal("[0-9]{2}%", DatetimeFormat.ToPattern("%y%"));

    [Fact]
    public void Millisecond_sequence_includes_its_dot() => Assert.Equal(@"[0-5][0-9]\.[0-9]{3}", DatetimeFormat.ToPattern("%S%L"));

    [Fact]
    public void Moby_quirks_are_kept_a_comma_passes_for_a_digit_or_a_letter()
    {
        Assert.Matches(DatetimeFormat.ToRegex("^%d$"), ",1");
        Assert.Matches(DatetimeFormat.ToRegex("^%p$"), ",M");
    }

    [Fact]
    public void Like_moby_the_pattern_is_not_anchored_so_a_date_mid_line_starts_an_event() =>
        Assert.Matches(DatetimeFormat.ToRegex("%Y-%m-%d"), "Caused by: timeout at 2026-11-26");

    [Fact]
    public void Literal_text_is_regex_text_so_a_caret_anchors() =>
        Assert.DoesNotMatch(DatetimeFormat.ToRegex("^%Y-%m-%d"), "Caused by: timeout at 2026-11-26");

    [Fact]
    public void Digits_are_ASCII_only_as_in_Go() =>
        Assert.DoesNotMatch(DatetimeFormat.ToRegex("%Y"), "\u0662\u0660\u0662\u0666"); // Arabic-Indic 2026
}
