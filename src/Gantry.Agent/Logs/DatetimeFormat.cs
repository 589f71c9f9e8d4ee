using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Gantry.Agent.Logs;

/// <summary>
/// Turns an <c>awslogs-datetime-format</c> (strftime) into the multiline start pattern, the way moby's awslogs driver
/// does (parseMultilineOptions + strftimeToRegex): every <c>%x</c> is replaced by its table entry, a sequence the table
/// lacks (<c>%c</c>, <c>%U</c>, <c>%%</c>, ...) by nothing, and all other text is kept as regular-expression text, not
/// escaped. Like moby the pattern is not anchored: a line starts a new event when the date appears anywhere in it;
/// a format that begins with <c>^</c> anchors it.
/// </summary>
public static class DatetimeFormat
{
    /// <summary>
    /// moby's strftimeToRegex, entry for entry (including its quirks: <c>[1,2]</c>, <c>[A,P]M</c>, <c>[0,1]</c> also accept a comma).
    /// Go's <c>\d</c> is ASCII-only, so it is written <c>[0-9]</c> here (.NET's <c>\d</c> also takes other Unicode digits).
    /// </summary>
    public static IReadOnlyDictionary<char, string> Table { get; } = new Dictionary<char, string>
    {
        ['a'] = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)",
        ['A'] = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)",
        ['w'] = "[0-6]",
        ['d'] = "(?:0[1-9]|[1,2][0-9]|3[0,1])",
        ['b'] = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
        ['B'] = "(?:January|February|March|April|May|June|July|August|September|October|November|December)",
        ['m'] = "(?:0[1-9]|1[0-2])",
        ['Y'] = "[0-9]{4}",
        ['y'] = "[0-9]{2}",
        ['H'] = "(?:[0,1][0-9]|2[0-3])",
        ['I'] = "(?:0[0-9]|1[0-2])",
        ['p'] = "[A,P]M",
        ['M'] = "[0-5][0-9]",
        ['S'] = "[0-5][0-9]",
        ['f'] = "[0-9]{6}",
        ['z'] = "[+-][0-9]{4}",
        ['Z'] = "[A-Z]{1,4}T",
        ['j'] = "(?:0[0-9][1-9]|[1,2][0-9][0-9]|3[0-5][0-9]|36[0-6])",
        ['L'] = @"\.[0-9]{3}",
    }.ToFrozenDictionary();

    /// <summary>The regular-expression text for <paramref name="format"/>.</summary>
    public static string ToPattern(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var pattern = new StringBuilder(format.Length * 4);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                pattern.Append(format[i]);
                continue;
            }
            // Go's "%." takes the whole rune after the percent sign.
            var next = format[i + 1];
            i += char.IsHighSurrogate(next) && i + 2 < format.Length && char.IsLowSurrogate(format[i + 2]) ? 2 : 1;
            if (Table.TryGetValue(next, out var replacement))
            {
                pattern.Append(replacement);
            }
        }
        return pattern.ToString();
    }

    /// <summary>The compiled start pattern for <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">The text around the format sequences is not a valid regular expression.</exception>
    public static Regex ToRegex(string format) => StartPattern.Compile(ToPattern(format));
}
