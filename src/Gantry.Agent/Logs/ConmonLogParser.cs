namespace Gantry.Agent.Logs;

/// <summary>
/// Parses one k8s-file line as conmon writes it (ctr_logging.c: write_k8s_log + set_k8s_timestamp):
/// <c>%Y-%m-%dT%H:%M:%S.%09ld±hh:mm stdout F text</c>. No allocation, no regex.
/// </summary>
public static class ConmonLogParser
{
    /// <summary>Parses <paramref name="line"/> (without its <c>\n</c>); false when it is not a k8s-file record.</summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out long timestampMs, out ConmonPipe pipe, out bool isPartial, out ReadOnlySpan<byte> content)
    {
        timestampMs = 0;
        pipe = default;
        isPartial = false;
        content = default;

        var space = line.IndexOf((byte)' ');
        if (space < 0 || !TryParseTimestamp(line[..space], out timestampMs))
        {
            return false;
        }
        var rest = line[(space + 1)..];
        if (rest.StartsWith("stdout "u8))
        {
            pipe = ConmonPipe.Stdout;
        }
        else if (rest.StartsWith("stderr "u8))
        {
            pipe = ConmonPipe.Stderr;
        }
        else
        {
            return false;
        }
        rest = rest[7..];
        if (rest.IsEmpty || (rest[0] != (byte)'F' && rest[0] != (byte)'P'))
        {
            return false;
        }
        isPartial = rest[0] == (byte)'P';
        if (rest.Length == 1)
        {
            return true; // "... stdout F" with the separator trimmed: an empty line
        }
        if (rest[1] != (byte)' ')
        {
            return false;
        }
        content = rest[2..];
        return true;
    }

    /// <summary>
    /// RFC 3339 with a 'T', one to nine fraction digits (or none) and 'Z' or ±hh:mm, to Unix milliseconds (the fraction is
    /// truncated).
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out long unixMs)
    {
        unixMs = 0;
        if (text.Length < 20
            || !Digits(text, 0, 4, out var year) || text[4] != (byte)'-'
            || !Digits(text, 5, 2, out var month) || text[7] != (byte)'-'
            || !Digits(text, 8, 2, out var day) || (text[10] | 0x20) != (byte)'t'
            || !Digits(text, 11, 2, out var hour) || text[13] != (byte)':'
            || !Digits(text, 14, 2, out var minute) || text[16] != (byte)':'
            || !Digits(text, 17, 2, out var second))
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var i = 19;
        var millis = 0;
        if (text[i] == (byte)'.')
        {
            var digits = 0;
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++, digits++)
            {
                if (digits < 3)
                {
                    millis = millis * 10 + text[i] - '0';
                }
            }
            if (digits is 0 or > 9)
            {
                return false;
            }
            for (; digits < 3; digits++)
            {
                millis *= 10;
            }
        }

        int offsetSeconds;
        if (i + 1 == text.Length && (text[i] | 0x20) == (byte)'z')
        {
            offsetSeconds = 0;
        }
        else if (i + 6 == text.Length && text[i] is (byte)'+' or (byte)'-' && text[i + 3] == (byte)':'
            && Digits(text, i + 1, 2, out var offsetHours) && Digits(text, i + 4, 2, out var offsetMinutes)
            && offsetHours <= 23 && offsetMinutes <= 59)
        {
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text[i] == (byte)'-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        var seconds = DaysFromCivil(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds;
        unixMs = seconds * 1000 + millis;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                return false;
            }
            value = value * 10 + (int)digit;
        }
        return true;
    }

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).</summary>
    private static long DaysFromCivil(int year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = (year >= 0 ? year : year - 399) / 400;
        var yearOfEra = year - era * 400;
        var dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        var dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }
}
