using System.Globalization;
using System.Text;

namespace Gantry.Secrets;

/// <summary>NextToken values: the last document key of a page, base64url-encoded so a caller treats it as opaque.</summary>
public static class PageTokens
{
    public static string Write(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key a token resumes after; null for a null or malformed token.</summary>
    public static string? Read(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }

    /// <summary>A token for a page of an in-memory list that starts at <paramref name="offset"/>.</summary>
    public static string WriteOffset(int offset) => Write(offset.ToString(CultureInfo.InvariantCulture));

    /// <summary>Where a page of a list of <paramref name="count"/> items starts: 0 without a token, null for a token that is not one of <see cref="WriteOffset"/>.</summary>
    public static int? ReadOffset(string? token, int count) =>
        token is null ? 0
        : int.TryParse(Read(token), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && offset <= count ? offset
        : null;
}
