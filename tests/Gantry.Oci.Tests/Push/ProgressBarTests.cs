using Gantry.Oci.Push;

namespace Gantry.Oci.Tests.Push;

public sealed class ProgressBarTests
{
    private const string Digest = "sha256:abcd1234ef567890abcd1234ef567890abcd1234ef567890abcd1234ef567890";
    private const long MiB = 1024 * 1024;

    [Fact]
    public void A_line_shows_the_short_digest_a_bar_and_the_amounts()
    {
        var line = ProgressBar.Render(new PushProgress(Digest, (long)(12.3 * MiB), 40 * MiB, false), 80);

        Assert.StartsWith("pushing sha256:abcd1234ef56 [", line, StringComparison.Ordinal);
        Assert.EndsWith("] 12.3/40.0 MiB", line, StringComparison.Ordinal);
        Assert.Contains("#", line, StringComparison.Ordinal);
        Assert.Contains(".", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(30)]
    [InlineData(60)]
    [InlineData(200)]
    public void A_line_never_exceeds_the_width(int width)
    {
        foreach (var progress in new[]
        {
            new PushProgress(Digest, 5, 10, false),
            new PushProgress(Digest, 3 * MiB * 1024, 7 * MiB * 1024, false),
            new PushProgress(Digest, 10, 10, true),
        })
        {
            Assert.True(ProgressBar.Render(progress, width).Length <= Math.Max(width, 20) - 1);
        }
    }

    [Fact]
    public void A_skipped_blob_says_it_exists() =>
        Assert.Equal("exists  sha256:abcd1234ef56 2.0 KiB", ProgressBar.Render(new PushProgress(Digest, 2048, 2048, true), 80));

    [Fact]
    public void Off_a_terminal_only_completed_blobs_are_written_one_line_each()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, isTerminal: false);

        bar.Report(new PushProgress(Digest, 0, 10, false));
        bar.Report(new PushProgress(Digest, 5, 10, false));
        bar.Report(new PushProgress(Digest, 10, 10, false));
        bar.Report(new PushProgress("sha256:ffff", 3, 3, true));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("pushed  sha256:abcd1234ef56 [", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("exists  sha256:ffff", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("\r", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_terminal_a_blob_is_redrawn_in_place_and_ended_with_a_newline()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, isTerminal: true, width: 60);

        bar.Report(new PushProgress(Digest, 0, 10, false));
        bar.Report(new PushProgress(Digest, 5, 10, false));
        bar.Report(new PushProgress(Digest, 10, 10, false));

        var text = output.ToString();
        Assert.Equal(3, text.Count(c => c == '\r'));
        Assert.Single(text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.All(text.Split('\r', StringSplitOptions.RemoveEmptyEntries), frame => Assert.True(frame.TrimEnd().Length <= 59));
    }
}
