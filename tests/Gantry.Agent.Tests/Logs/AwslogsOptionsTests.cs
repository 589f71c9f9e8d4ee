using Gantry.Agent.Logs;

namespace Gantry.Agent.Tests.Logs;

public sealed class AwslogsOptionsTests
{
    private static AwslogsOptions Parse(params (string Key, string Value)[] options) =>
        AwslogsOptions.Parse(options.ToDictionary(o => o.Key, o => o.Value));

    private static AwslogsOptionException Rejects(params (string Key, string Value)[] options) =>
        Assert.Throws<AwslogsOptionException>(() => Parse(options));

    [Fact]
    public void Only_a_group_gives_the_ECS_defaults()
    {
        var options = Parse(("awslogs-group", "/ecs/web"));

        Assert.Equal("/ecs/web", options.Group);
        Assert.Null(options.Region);
        Assert.Null(options.StreamPrefix);
        Assert.False(options.CreateGroup);
        Assert.Equal(AwslogsMode.NonBlocking, options.Mode);
        Assert.Equal(10 * 1024 * 1024, options.MaxBufferSizeBytes);
        Assert.Null(options.CreateStartPattern());
    }

    [Fact]
    public void All_options_are_read()
    {
        var options = Parse(
            ("awslogs-group", "g"), ("awslogs-region", "eu-west-1"), ("awslogs-stream-prefix", "web"),
            ("awslogs-create-group", "true"), ("awslogs-multiline-pattern", "^INFO"), ("mode", "non-blocking"), ("max-buffer-size", "25m"));

        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal("web", options.StreamPrefix);
        Assert.True(options.CreateGroup);
        Assert.Equal("^INFO", options.MultilinePattern);
        Assert.Equal(25L * 1024 * 1024, options.MaxBufferSizeBytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_or_empty_group_is_refused_naming_the_option(string? group)
    {
        var e = group is null ? Rejects(("awslogs-region", "us-east-1")) : Rejects(("awslogs-group", group));

        Assert.Equal("awslogs-group", e.OptionName);
        Assert.Contains("awslogs-group", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("FaLsE", false)]
    public void Create_group_is_a_case_insensitive_boolean(string value, bool expected) =>
        Assert.Equal(expected, Parse(("awslogs-group", "g"), ("awslogs-create-group", value)).CreateGroup);

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    public void Create_group_refuses_other_words(string value)
    {
        var e = Rejects(("awslogs-group", "g"), ("awslogs-create-group", value));

        Assert.Equal("awslogs-create-group", e.OptionName);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Datetime_format_and_multiline_pattern_together_are_refused_as_moby_does()
    {
        var e = Rejects(("awslogs-group", "g"), ("awslogs-datetime-format", "%Y-%m-%d"), ("awslogs-multiline-pattern", "^xxxx"));

        Assert.Equal("you cannot configure log opt 'awslogs-datetime-format' and 'awslogs-multiline-pattern' at the same time", e.Message);
    }

    [Theory]
    [InlineData("blocking", AwslogsMode.Blocking)]
    [InlineData("non-blocking", AwslogsMode.NonBlocking)]
    [InlineData("", AwslogsMode.NonBlocking)]
    public void Mode_is_read(string value, AwslogsMode expected) =>
        Assert.Equal(expected, Parse(("awslogs-group", "g"), ("mode", value)).Mode);

    [Theory]
    [InlineData("Blocking")]
    [InlineData("nonblocking")]
    public void An_unknown_mode_is_refused(string value) =>
        Assert.Equal("mode", Rejects(("awslogs-group", "g"), ("mode", value)).OptionName);

    [Theory]
    [InlineData("1m", 1_048_576)]
    [InlineData("512k", 524_288)]
    [InlineData("25m", 26_214_400)]
    [InlineData("25M", 26_214_400)]
    [InlineData("1.5m", 1_572_864)]
    [InlineData("2MiB", 2_097_152)]
    [InlineData("10 MB", 10_485_760)]
    [InlineData("1g", 1_073_741_824)]
    [InlineData("4096", 4096)]
    [InlineData("100b", 100)]
    public void Max_buffer_size_takes_Docker_size_units(string value, long expected) =>
        Assert.Equal(expected, Parse(("awslogs-group", "g"), ("max-buffer-size", value)).MaxBufferSizeBytes);

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("1x")]
    [InlineData("-1m")]
    [InlineData("1.2.3m")]
    [InlineData("0")]
    public void Max_buffer_size_refuses_what_is_not_a_size(string value)
    {
        var e = Rejects(("awslogs-group", "g"), ("max-buffer-size", value));

        Assert.Equal("max-buffer-size", e.OptionName);
        Assert.Contains("max-buffer-size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_buffer_size_is_refused_in_blocking_mode_as_Docker_does() =>
        Assert.Equal("max-buffer-size", Rejects(("awslogs-group", "g"), ("mode", "blocking"), ("max-buffer-size", "1m")).OptionName);

    [Fact]
    public void An_unknown_option_is_refused_naming_it()
    {
        var e = Rejects(("awslogs-group", "g"), ("awslogs-streem", "mine"));

        Assert.Equal("awslogs-streem", e.OptionName);
        Assert.StartsWith("unknown log opt 'awslogs-streem' for awslogs log driver", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(unclosed")]
    [InlineData(@"(a)\1")]
    [InlineData("(?=lookahead)")]
    public void A_multiline_pattern_that_does_not_compile_is_refused(string pattern) =>
        Assert.Equal("awslogs-multiline-pattern", Rejects(("awslogs-group", "g"), ("awslogs-multiline-pattern", pattern)).OptionName);

    [Fact]
    public void A_datetime_format_whose_literal_text_is_not_a_regex_is_refused() =>
        Assert.Equal("awslogs-datetime-format", Rejects(("awslogs-group", "g"), ("awslogs-datetime-format", "(%Y")).OptionName);

    [Fact]
    public void The_start_pattern_comes_from_the_datetime_format()
    {
        var pattern = Parse(("awslogs-group", "g"), ("awslogs-datetime-format", "%Y-%m-%d %H:%M:%S")).CreateStartPattern();

        Assert.NotNull(pattern);
        Assert.Matches(pattern, "2026-11-26 08:49:07 started");
        Assert.DoesNotMatch(pattern, "    at Foo.Bar()");
    }

    [Fact]
    public void A_multiline_pattern_with_RE2_named_groups_compiles()
    {
        var pattern = Parse(("awslogs-group", "g"), ("awslogs-multiline-pattern", "^(?P<level>INFO|WARN) ")).CreateStartPattern();

        Assert.Matches(pattern!, "WARN disk");
    }

    [Fact]
    public void With_a_prefix_the_stream_is_prefix_container_task()
    {
        var options = Parse(("awslogs-group", "g"), ("awslogs-stream-prefix", "ecs"));

        Assert.Equal("ecs/web/0f2b6c1e9a7d4c2e8b1f3a5d7c9e1b3a", options.StreamName("web", "0f2b6c1e9a7d4c2e8b1f3a5d7c9e1b3a"));
    }

    [Fact]
    public void Without_a_prefix_the_stream_is_the_container_runtime_id() =>
        Assert.Equal("task-web", Parse(("awslogs-group", "g")).StreamName("web", "task"));

    [Fact]
    public void Docker_awslogs_stream_names_the_stream_and_Docker_only_options_are_accepted() =>
        Assert.Equal("mine", Parse(("awslogs-group", "g"), ("awslogs-stream-prefix", "ecs"), ("awslogs-stream", "mine"),
            ("awslogs-endpoint", "https://logs.example"), ("tag", "{{.Name}}")).StreamName("web", "task"));
}
