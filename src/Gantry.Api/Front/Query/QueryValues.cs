using System.Globalization;

namespace Gantry.Api.Front.Query;

/// <summary>The text forms of awsQuery scalars, both ways: Smithy's timestamp formats, doubles with NaN and Infinity, base64 blobs.</summary>
internal static class QueryValues
{
    public static string Format(QueryType type, object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        DateTimeOffset t => FormatTimestamp(t, type.TimestampFormat),
        byte[] bytes => Convert.ToBase64String(bytes),
        _ => throw new NotSupportedException($"{value.GetType()} has no awsQuery form."),
    };

    public static bool TryParseDouble(string text, out double value)
    {
        switch (text)
        {
            case "NaN":
                value = double.NaN;
                return true;
            case "Infinity":
                value = double.PositiveInfinity;
                return true;
            case "-Infinity":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }
    }

    public static bool TryParseTimestamp(string text, string format, out DateTimeOffset value)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (format)
        {
            case "epoch-seconds" when double.TryParse(text, NumberStyles.Float, invariant, out var seconds) && double.IsFinite(seconds)
                                      && Math.Abs(seconds) < 253_402_300_799:
                value = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                return true;
            case "http-date":
                return DateTimeOffset.TryParseExact(text, "r", invariant, DateTimeStyles.AssumeUniversal, out value);
            case "date-time" when text.Contains('T', StringComparison.Ordinal):
                return DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
            default:
                value = default;
                return false;
        }
    }

    public static bool TryParseBlob(string text, out byte[] value)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            value = buffer[..written];
            return true;
        }
        value = [];
        return false;
    }

    /// <summary>What a value of <paramref name="type"/> must be, for ValidationError.</summary>
    public static string Describe(QueryType type) => type.Kind switch
    {
        QueryKind.Integer or QueryKind.Long => "an integer",
        QueryKind.Boolean => "a boolean (true or false)",
        QueryKind.Double => "a number",
        QueryKind.Timestamp => type.TimestampFormat == "date-time" ? "an ISO 8601 timestamp" : $"a timestamp ({type.TimestampFormat})",
        QueryKind.Blob => "base64-encoded",
        _ => "a value",
    };

    private static string FormatDouble(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatTimestamp(DateTimeOffset value, string format) => format switch
    {
        "epoch-seconds" => (value.ToUnixTimeMilliseconds() / 1000.0).ToString("R", CultureInfo.InvariantCulture),
        "http-date" => value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture),
        _ => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };
}
