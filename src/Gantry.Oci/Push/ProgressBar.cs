using System.Globalization;
using System.Text;

namespace Gantry.Oci.Push;

/// <summary>
/// Shows push progress on a <see cref="TextWriter"/>: on a terminal one line per blob redrawn in place with <c>'\r'</c>
/// (e.g. <c>pushing sha256:abcd1234ef56 [#####.....] 12.3/40.0 MiB</c>), elsewhere one line per completed blob.
/// Lines never exceed the given width. Safe to report to from several threads.
/// </summary>
public sealed class ProgressBar : IProgress<PushProgress>
{
    private const int MinimumWidth = 20;
    private const int MaximumBarWidth = 40;
    private const int MinimumBarWidth = 5;
    private const int ShortDigestHexLength = 12;

    private readonly TextWriter _writer;
    private readonly bool _isTerminal;
    private readonly int _width;
    private readonly Lock _gate = new();
    private string? _openLine;

    /// <param name="writer">Where the progress goes.</param>
    /// <param name="isTerminal">Whether <paramref name="writer"/> is an interactive terminal, where lines are redrawn.</param>
    /// <param name="width">The terminal's width in columns; lines are at most <c>width - 1</c> long.</param>
    public ProgressBar(TextWriter writer, bool isTerminal, int width = 80)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _isTerminal = isTerminal;
        _width = Math.Max(width, MinimumWidth);
    }

    public void Report(PushProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var line = Render(value, _width);
        lock (_gate)
        {
            if (!_isTerminal)
            {
                if (value.IsComplete)
                {
                    _writer.WriteLine(line);
                }
            }
            else
            {
                if (_openLine is not null && _openLine != value.Digest)
                {
                    _writer.WriteLine();
                }
                _writer.Write('\r');
                _writer.Write(line.PadRight(_width - 1));
                _openLine = value.Digest;
                if (value.IsComplete)
                {
                    _writer.WriteLine();
                    _openLine = null;
                }
            }
            _writer.Flush();
        }
    }

    /// <summary>The single line that shows <paramref name="progress"/>, at most <c>width - 1</c> characters.</summary>
    public static string Render(PushProgress progress, int width)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var limit = Math.Max(width, MinimumWidth) - 1;
        var digest = ShortDigest(progress.Digest);
        string line;
        if (progress.Skipped)
        {
            line = $"exists  {digest} {Size(progress.BytesTotal)}";
        }
        else
        {
            var verb = progress.IsComplete ? "pushed " : "pushing";
            var amount = Amount(progress.BytesDone, progress.BytesTotal);
            var barWidth = Math.Min(MaximumBarWidth, limit - verb.Length - digest.Length - amount.Length - 5);
            line = barWidth < MinimumBarWidth
                ? $"{verb} {digest} {amount}"
                : $"{verb} {digest} [{Bar(progress.BytesDone, progress.BytesTotal, barWidth)}] {amount}";
        }
        return line.Length <= limit ? line : line[..limit];
    }

    private static string ShortDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var end = colon + 1 + ShortDigestHexLength;
        return colon >= 0 && digest.Length > end ? digest[..end] : digest;
    }

    private static string Bar(long done, long total, int barWidth)
    {
        var filled = total <= 0 ? barWidth : (int)Math.Clamp(done * barWidth / total, 0, barWidth);
        return new StringBuilder(barWidth).Append('#', filled).Append('.', barWidth - filled).ToString();
    }

    private static string Amount(long done, long total)
    {
        var (divisor, unit) = Unit(total);
        return divisor == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{done}/{total} {unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{(double)done / divisor:0.0}/{(double)total / divisor:0.0} {unit}");
    }

    private static string Size(long bytes)
    {
        var (divisor, unit) = Unit(bytes);
        return divisor == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} {unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{(double)bytes / divisor:0.0} {unit}");
    }

    private static (long Divisor, string Unit) Unit(long total) => total switch
    {
        >= 1L << 30 => (1L << 30, "GiB"),
        >= 1L << 20 => (1L << 20, "MiB"),
        >= 1L << 10 => (1L << 10, "KiB"),
        _ => (1, "B"),
    };
}
