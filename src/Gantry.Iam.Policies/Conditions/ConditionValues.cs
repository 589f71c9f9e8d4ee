using System.Globalization;

namespace Gantry.Iam.Policies.Conditions;

/// <summary>How condition values are read as numbers and dates, for policy and request values alike.</summary>
internal static class ConditionValues
{
    public static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;

    /// <summary>ISO 8601 ("2026-12-31T23:59:59Z", "2026-12-31") or seconds since the epoch ("1798761599").</summary>
    public static DateTimeOffset? ParseDate(string text)
    {
        if (text.Length > 0 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            ? date
            : null;
    }
}
