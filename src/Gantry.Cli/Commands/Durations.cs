using System.Globalization;

namespace Gantry.Cli.Commands;

/// <summary>Durations as the CLI reads and prints them: a whole number and a unit (30s, 10m, 2h, 1d, 1w).</summary>
internal static class Durations
{
    public const string Examples = "30s, 10m, 2h, 1d, 1w";

    private static readonly (char Unit, TimeSpan Size)[] Units =
        [('w', TimeSpan.FromDays(7)), ('d', TimeSpan.FromDays(1)), ('h', TimeSpan.FromHours(1)), ('m', TimeSpan.FromMinutes(1)), ('s', TimeSpan.FromSeconds(1))];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is not { Length: > 1 } || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }
        foreach (var (unit, size) in Units)
        {
            if (text[^1] == unit && amount <= TimeSpan.MaxValue.Ticks / size.Ticks)
            {
                duration = size * amount;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A moment given as a duration back from <paramref name="now"/> (24h) or a time (2026-11-26T09:00:00Z, UTC unless it
    /// says otherwise); null when <paramref name="value"/> is empty. Throws <see cref="FormatException"/> naming
    /// <paramref name="option"/> when it is neither.
    /// </summary>
    public static DateTimeOffset? Moment(string option, string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (TryParse(value, out var back) && back <= now - DateTimeOffset.MinValue)
        {
            return now - back;
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }
        throw new FormatException($"{option} '{value}' is neither a duration ({Examples}) nor a time");
    }

    /// <summary>The largest unit that divides the duration whole (24h, 90m), as TryParse reads it back.</summary>
    public static string Format(TimeSpan duration)
    {
        var (unit, size) = Units.First(u => duration.Ticks % u.Size.Ticks == 0 || u.Unit == 's');
        return string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / size.Ticks}{unit}");
    }
}
